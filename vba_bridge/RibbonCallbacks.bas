Attribute VB_Name = "RibbonCallbacks"
' The one ribbon callback of the xl-addin add-in: every button of customUI14.xml names
' OnAction, which hands the button's id to Python (xl_addin.ribbon.dispatch).
' RunPython comes from the xlwings module of this add-in.  Keep this file ASCII: the
' VBA project stores source in one code page.
Option Explicit

Public Sub OnAction(control As IRibbonControl)
    RunPython "import xl_addin.ribbon as r; r.dispatch('" & control.Id & "')"
End Sub
