Attribute VB_Name = "RibbonCallbacks"
' The one ribbon callback of the xl-addin add-in: every button of customUI14.xml names
' OnAction, which hands the button's id to the launcher (Launcher.RunButton), and the
' launcher to Python (xl_addin.addin.ribbon.dispatch).
Option Explicit

Public Sub OnAction(control As IRibbonControl)
    RunButton control.Id
End Sub
