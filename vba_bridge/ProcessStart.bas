Attribute VB_Name = "ProcessStart"
' Starting a program and waiting for it: the one place the add-in touches Windows.
' WScript.Shell starts the program itself (no cmd.exe in between), hidden, and returns
' its exit code.  Tests replace this module with one that records the command line.
Option Explicit

Public Function StartProcess(commandLine As String) As Long
    StartProcess = CreateObject("WScript.Shell").Run(commandLine, 0, True)
End Function
