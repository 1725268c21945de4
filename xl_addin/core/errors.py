"""Errors a user can cause, and the exit codes the command line uses.

A ``UserError`` carries a Chinese message that says what is wrong and how to fix it;
the CLI prints it without a traceback.  Anything else is a bug and shows a traceback
only with ``--debug``.
"""

from __future__ import annotations

import errno

EXIT_OK = 0
EXIT_FINDINGS = 1  # the workbook has errors (validation)
EXIT_UNUSABLE = 2  # the input could not be used


class UserError(Exception):
    """A mistake in the user's input: message in Chinese, exit code 2."""

    def __init__(self, message: str, exit_code: int = EXIT_UNUSABLE) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


#: what an operating-system error means to the user, by errno (the ones a path, a disk
#: or a permission can cause; anything else is said in the system's own words)
_CAUSES = {
    errno.EROFS: "所在的文件系统是只读的",
    errno.EACCES: "没有访问权限（请检查文件和所在文件夹的权限，或换一个位置）",
    errno.EPERM: "操作不被允许（请检查文件和所在文件夹的权限，或换一个位置）",
    errno.ENOTDIR: "路径中有一级不是文件夹（而是文件）",
    errno.ENAMETOOLONG: "文件名太长，超过了文件系统允许的长度（通常为 255 字节）",
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "超出了磁盘配额",
    errno.EEXIST: "路径中有一级已作为文件存在",
    errno.EISDIR: "它是文件夹，不是文件",
    errno.ENOENT: "文件或所在的文件夹不存在",
    errno.ENXIO: "它不是普通文件（而是套接字或设备）",
    errno.ELOOP: "符号链接层数过多或形成了循环",
    errno.EIO: "磁盘或网络读写出错",
    errno.EBUSY: "正被其他程序占用",
    errno.ETXTBSY: "正被其他程序占用",
    errno.EMFILE: "同时打开的文件过多",
    errno.ENFILE: "同时打开的文件过多",
    errno.EFBIG: "文件超过了允许的大小",
}
#: errors of the machine, never of the code: whatever file they name, they are the
#: user's to fix (a full disk, a read-only mount, a failing disk)
ENVIRONMENT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO,
                                errno.EFBIG})


def os_cause(exc: OSError) -> str:
    """The cause of ``exc`` in Chinese, for a message that names the path itself."""
    return _CAUSES.get(exc.errno or 0) or exc.strerror or str(exc)


def cannot_write(path: object, exc: OSError, after: str = "未作改动。") -> UserError:
    """The message every failed write gives: the path, the cause, what was kept."""
    return UserError(f"无法写入“{path}”：{os_cause(exc)}。{after}")


def cannot_read(path: object, exc: OSError) -> UserError:
    """The message every failed read gives: the path and the cause."""
    return UserError(f"无法读取“{path}”：{os_cause(exc)}。")


def cannot_access(path: object, exc: OSError) -> UserError:
    """An error on a user's path met where it was not expected (read or write)."""
    return UserError(f"无法访问“{path}”：{os_cause(exc)}。")
