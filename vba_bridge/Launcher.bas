Attribute VB_Name = "Launcher"
' Starts Python for a ribbon button.  Written for this add-in in place of xlwings'
' RunPython, whose settings lookup reads a "<project>.conf" sheet of the ACTIVE workbook
' and a .conf file beside it first, so that any workbook a clerk opens could choose the
' program a button starts.  Here:
' - every setting comes from this add-in's own settings sheet (ThisWorkbook) and nothing
'   else: no sheet, file or folder of the active workbook is read;
' - the interpreter is started directly (no cmd.exe, so nothing is parsed by a shell);
' - the only thing taken from the active workbook is its name, passed hex-encoded, so no
'   character of it can end a quote or expand an environment variable;
' - the command line is checked before it is run: a quote or a percent sign in the
'   interpreter setting, or a control id other than lower-case ASCII, stops the button.
' Texts for the user are written in Chinese as the argument of W here; the build turns
' each into hex codes, so the stored source stays ASCII (the VBA project keeps source in
' one code page) and W turns them back when the button runs.
Option Explicit

Private Const CONF_SHEET As String = "xl_addin.conf"
Private Const CONF_ROWS As Long = 50
Private Const INTERPRETER_KEY As String = "INTERPRETER_WIN"
Private Const DEFAULT_INTERPRETER As String = "python"

' The value of KEY on this add-in's settings sheet (column A key, column B value).
Public Function AddinSetting(key As String, fallback As String) As String
    Dim sheet As Object, r As Long
    AddinSetting = fallback
    On Error Resume Next
    Set sheet = ThisWorkbook.Worksheets(CONF_SHEET)
    On Error GoTo 0
    If sheet Is Nothing Then Exit Function
    For r = 1 To CONF_ROWS
        If CStr(sheet.Cells(r, 1).Value) = key Then
            If Trim$(CStr(sheet.Cells(r, 2).Value)) <> "" Then
                AddinSetting = Trim$(CStr(sheet.Cells(r, 2).Value))
            End If
            Exit Function
        End If
    Next r
End Function

' TEXT as hex digits, four per UTF-16 code unit (Python: bytes.fromhex(h).decode("utf-16-be")).
Public Function HexText(text As String) As String
    Dim i As Long, out As String
    For i = 1 To Len(text)
        out = out & Right$("000" & Hex$(AscW(Mid$(text, i, 1)) And &HFFFF&), 4)
    Next i
    HexText = out
End Function

' The text a W literal of the source was built into: four hex digits per UTF-16 code unit.
Public Function W(codes As String) As String
    Dim i As Long, out As String
    For i = 1 To Len(codes) Step 4
        out = out & ChrW(CLng("&H" & Mid$(codes, i, 4)))
    Next i
    W = out
End Function

Private Function IsControlId(controlId As String) As Boolean
    Dim i As Long, c As String
    IsControlId = Len(controlId) > 0 And Len(controlId) <= 40
    For i = 1 To Len(controlId)
        c = Mid$(controlId, i, 1)
        If Not (c Like "[a-z]" Or c = "_") Then IsControlId = False
    Next i
End Function

' Why INTERPRETER cannot be started safely, or "" when it can: "python"/"pythonw" (found
' on PATH), or a full path to python.exe / pythonw.exe without quote or percent sign.
Public Function InterpreterProblem(interpreter As String) As String
    Dim lower As String
    lower = LCase$(interpreter)
    If InStr(interpreter, Chr$(34)) > 0 Or InStr(interpreter, "%") > 0 Then
        InterpreterProblem = W("设置中的 Python 路径含有引号或百分号，无法安全启动。")
    ElseIf lower <> "python" And lower <> "pythonw" And Not (lower Like "*\python.exe" _
            Or lower Like "*\pythonw.exe") Then
        InterpreterProblem = W("设置中的 Python 路径不是 python.exe 或 pythonw.exe。")
    Else
        InterpreterProblem = ""
    End If
End Function

' The command line that runs button CONTROLID on the workbook named BOOKNAME in the
' Excel window HWND.
Public Function CommandLine(interpreter As String, controlId As String, bookName As String, _
                            hwnd As String) As String
    CommandLine = Chr$(34) & interpreter & Chr$(34) & " -B -c " & Chr$(34) & _
        "import xl_addin.addin.ribbon as r; r.dispatch('" & controlId & "')" & Chr$(34) & _
        " --xl-addin-book=" & HexText(bookName) & " --xl-addin-hwnd=" & hwnd
End Function

Private Function InProtectedView() As Boolean
    On Error Resume Next
    InProtectedView = Not (Application.ActiveProtectedViewWindow Is Nothing)
End Function

Private Sub Refuse(message As String)
    MsgBox message & vbCrLf & W("请运行 xl-addin install 重新安装加载项，或改用命令行 xl-addin。"), _
           vbExclamation, W("绩效目标")
End Sub

' What a ribbon button does: check, then start Python with the button's id.
Public Sub RunButton(controlId As String)
    Dim interpreter As String, problem As String, hwnd As String, code As Long
    If InProtectedView() Then
        MsgBox W("工作簿处于受保护的视图中。请先点击“启用编辑”，再使用“绩效目标”选项卡。"), _
               vbExclamation, W("绩效目标")
        Exit Sub
    End If
    If ActiveWorkbook Is Nothing Then
        MsgBox W("没有打开的工作簿。请先打开绩效目标工作簿，再使用“绩效目标”选项卡。"), _
               vbExclamation, W("绩效目标")
        Exit Sub
    End If
    If Not IsControlId(controlId) Then
        Refuse W("未知的按钮。")
        Exit Sub
    End If
    interpreter = AddinSetting(INTERPRETER_KEY, DEFAULT_INTERPRETER)
    problem = InterpreterProblem(interpreter)
    If problem <> "" Then
        Refuse problem
        Exit Sub
    End If
    On Error Resume Next
    hwnd = CStr(Application.Hwnd)
    On Error GoTo failed
    code = StartProcess(CommandLine(interpreter, controlId, ActiveWorkbook.Name, hwnd))
    If code <> 0 Then Refuse W("Python 未能运行完（退出码 ") & code & W("）。")
    Exit Sub
failed:
    Refuse W("无法启动 Python：") & Err.Description
End Sub
