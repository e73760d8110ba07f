' Plume's entries in Writer's text context menu, shown when text is selected.
'
' Why Basic and not Python: a Python job on every new view made LibreOffice start its Python
' runtime on the way to the first document, which was most of Plume's start-up cost
' (benchmarks row 4). Basic runs inside LibreOffice with nothing to load. This module only
' registers the interceptor and builds the menu; every entry dispatches a plume: URL, so the
' Python code runs when an entry is chosen, exactly as from the menu bar or a shortcut.
'
' The entries' URLs and titles are read from Plume's menu-bar submenu (registry/Addons.xcu),
' so both menus say the same thing in the user's interface language.
'
' Bound to the application event OnViewCreated by registry/Events.xcu; build.py wraps this
' file into the Basic library LibreOffice reads (ContextMenu.xba, script.xlb).

Option Explicit

Const MENU_NODE = "/org.openoffice.Office.Addons/AddonUI/OfficeMenuBar/org.plume.assistant.menu/Submenu"
Const PARENT_TEXT = "Plume"

' The menu-bar entries that make sense on a text selection, in menu order.
Function EntryNames() As Variant
	EntryNames = Array("m00-summarize", "m01-rewrite-formal", "m02-rewrite-shorter", _
		"m03-rewrite-plain", "m04-rewrite-correct", "m06-sidebar")
End Function

' OnViewCreated: give the new Writer view the interceptor. A failure must never disturb
' opening a document, hence the silent error handler.
Sub RegisterInterceptor(oEvent As Object)
	On Error GoTo Done
	Dim oModel As Object, oController As Object
	oModel = oEvent.Source
	If IsNull(oModel) Then Exit Sub
	If Not oModel.supportsService("com.sun.star.text.TextDocument") Then Exit Sub
	oController = oEvent.ViewController
	If IsNull(oController) Then oController = oModel.getCurrentController()
	oController.registerContextMenuInterceptor( _
		CreateUnoListener("PlumeMenu_", "com.sun.star.ui.XContextMenuInterceptor"))
Done:
End Sub

Function PlumeMenu_notifyContextMenuExecute(oEvent As Object) As Variant
	PlumeMenu_notifyContextMenuExecute = com.sun.star.ui.ContextMenuInterceptorAction.IGNORED
	On Error GoTo Done
	Dim oMenu As Object
	oMenu = oEvent.ActionTriggerContainer
	If Not HasSelectedText(oEvent.Selection) Then Exit Function
	If HasPlumeEntry(oMenu) Then Exit Function
	Dim oEntries As Object, oSub As Object, oItem As Object, oEntry As Object, oParent As Object
	Dim aNames As Variant, i As Integer
	oEntries = MenuBarEntries()
	oSub = oMenu.createInstance("com.sun.star.ui.ActionTriggerContainer")
	aNames = EntryNames()
	For i = 0 To UBound(aNames)
		oItem = oEntries.getByName(aNames(i))
		oEntry = oMenu.createInstance("com.sun.star.ui.ActionTrigger")
		' Through setPropertyValue: in LibreOffice 25.2, Basic's "oEntry.Text" on an
		' ActionTrigger fails with "Object variable not set" (CommandURL works either way).
		oEntry.setPropertyValue("CommandURL", oItem.getPropertyValue("URL"))
		oEntry.setPropertyValue("Text", oItem.getPropertyValue("Title"))
		oSub.insertByIndex(i, oEntry)
	Next i
	oParent = oMenu.createInstance("com.sun.star.ui.ActionTrigger")
	oParent.setPropertyValue("Text", PARENT_TEXT)
	oParent.setPropertyValue("SubContainer", oSub)
	oMenu.insertByIndex(oMenu.getCount(), oMenu.createInstance("com.sun.star.ui.ActionTriggerSeparator"))
	oMenu.insertByIndex(oMenu.getCount(), oParent)
	PlumeMenu_notifyContextMenuExecute = com.sun.star.ui.ContextMenuInterceptorAction.EXECUTE_MODIFIED
Done:
End Function

' Plume's submenu of the menu bar, read in the interface language.
Function MenuBarEntries() As Object
	Dim oProvider As Object, aArgs(0) As New com.sun.star.beans.PropertyValue
	oProvider = CreateUnoService("com.sun.star.configuration.ConfigurationProvider")
	aArgs(0).Name = "nodepath"
	aArgs(0).Value = MENU_NODE
	MenuBarEntries = oProvider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationAccess", aArgs())
End Function

' True when the selection is text with at least one character (not a shape, not a bare cursor).
Function HasSelectedText(oSupplier As Object) As Boolean
	HasSelectedText = False
	If IsNull(oSupplier) Then Exit Function
	Dim oSelection As Variant, i As Integer
	oSelection = oSupplier.getSelection()
	If IsNull(oSelection) Or IsEmpty(oSelection) Then Exit Function
	If Not oSelection.supportsService("com.sun.star.text.TextRanges") Then Exit Function
	For i = 0 To oSelection.getCount() - 1
		If Len(oSelection.getByIndex(i).getString()) > 0 Then
			HasSelectedText = True
			Exit Function
		End If
	Next i
End Function

' An interceptor registered twice on one view would add the submenu twice.
Function HasPlumeEntry(oMenu As Object) As Boolean
	HasPlumeEntry = False
	Dim i As Integer, oEntry As Object
	For i = 0 To oMenu.getCount() - 1
		oEntry = oMenu.getByIndex(i)
		If oEntry.supportsService("com.sun.star.ui.ActionTrigger") Then
			If oEntry.getPropertyValue("Text") = PARENT_TEXT Then
				HasPlumeEntry = True
				Exit Function
			End If
		End If
	Next i
End Function
