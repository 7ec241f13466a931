; CalfDesk's Windows installer: NSIS 3, Modern UI 2.
;
; It wraps the PyInstaller one-folder bundle (packaging/calfdesk.spec) in one setup program that a clinic's
; IT can run with no internet. packaging/windows/build.ps1 builds the bundle and then runs, from the
; repository root (absolute paths, because makensis works from this script's folder):
;
;   makensis -DVERSION=0.1.0 -DBUNDLE_DIR=C:\src\calfdesk\dist\calfdesk
;            -DOUTFILE=C:\src\calfdesk\dist\calfdesk-0.1.0-setup.exe packaging\windows\calfdesk.nsi
;
; What it promises (packaging/README.md, "Windows"):
; - one copy for every user of the computer, in Program Files (the program is the same for all of them;
;   each user's data stays in their own profile);
; - an upgrade first removes the old program files, so no library of the old version lingers beside the new
;   one, then copies the new bundle;
; - install, upgrade and uninstall never delete anything in a user's profile: the patient database, its
;   backups, the logs and the settings are health records and their keys. Every Delete and RMDir below
;   names a path under $INSTDIR or a shortcut (tests/packaging/test_windows_installer.py checks it).

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma

!define USAGE "Compile with: makensis -DVERSION=0.1.0 -DBUNDLE_DIR=<the dist\calfdesk folder> -DOUTFILE=<setup .exe to write> calfdesk.nsi (packaging\windows\build.ps1 does this)"

!ifndef VERSION
  !error "VERSION is not defined: the version to install, as in pyproject.toml. ${USAGE}"
!endif
!ifndef BUNDLE_DIR
  !error "BUNDLE_DIR is not defined: the PyInstaller bundle folder that holds CalfDesk.exe. ${USAGE}"
!endif
!ifndef OUTFILE
  !error "OUTFILE is not defined: the setup program to write. ${USAGE}"
!endif

; A wrong BUNDLE_DIR would otherwise fail later with a message about one File line.
!if ! /FileExists "${BUNDLE_DIR}\CalfDesk.exe"
  !error "BUNDLE_DIR (${BUNDLE_DIR}) has no CalfDesk.exe: build the bundle first (pyinstaller packaging\calfdesk.spec)."
!endif
!if ! /FileExists "${BUNDLE_DIR}\calfdesk-cli.exe"
  !error "BUNDLE_DIR (${BUNDLE_DIR}) has no calfdesk-cli.exe: build the bundle with packaging\calfdesk.spec on Windows."
!endif
!if ! /FileExists "${BUNDLE_DIR}\_internal\*.*"
  !error "BUNDLE_DIR (${BUNDLE_DIR}) has no _internal folder: build the bundle with packaging\calfdesk.spec."
!endif

; Windows wants a four-part numeric file version (1.2.3.4). VERSION is the Python package version, which
; may have fewer parts (0.1.0) or a suffix on the last one (0.2.0rc1): missing parts become 0, and /math
; keeps the leading digits of each part.
!searchparse /noerrors "${VERSION}." "" _V1 "." _V2 "." _V3 "." _V4 "."
!macro _VERSION_PART NAME
  !if "${_${NAME}}" == ""
    !define /redef _${NAME} 0
  !endif
  !define /math ${NAME} ${_${NAME}} + 0
!macroend
!insertmacro _VERSION_PART V1
!insertmacro _VERSION_PART V2
!insertmacro _VERSION_PART V3
!insertmacro _VERSION_PART V4
!if "${V1}" != "${_V1}"
  !error "VERSION (${VERSION}) must start with a number, such as 0.1.0."
!endif
!define VERSION4 "${V1}.${V2}.${V3}.${V4}"

!define PRODUCT "CalfDesk"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\CalfDesk"
!define UNINSTALLER "uninstall.exe"
!define SHORTCUT "CalfDesk.lnk"
!define DEFAULT_DIR "$PROGRAMFILES64\CalfDesk"
!define DATA_FOLDER "AppData\Local\CalfDesk\CalfDesk"
!define LOCKED_TEXT "CalfDesk is still open, so its program files cannot be replaced or removed.$\r$\n$\r$\nClose CalfDesk on this computer, then choose Retry."
!define ADMIN_TEXT "Only an administrator of this computer can install or remove CalfDesk. Ask your IT support."

!include MUI2.nsh
!include LogicLib.nsh
!include x64.nsh
!include WinVer.nsh
!include FileFunc.nsh
!include WordFunc.nsh

Name "${PRODUCT}"
OutFile "${OUTFILE}"
BrandingText "${PRODUCT} ${VERSION}"
InstallDir "${DEFAULT_DIR}"
RequestExecutionLevel admin
ShowInstDetails show
ShowUninstDetails show

; A file that cannot be written (the program is running) gets Retry and Cancel with a plain sentence,
; never Ignore: a skipped library would leave the old version's copy beside the new program.
AllowSkipFiles off
FileErrorText "${LOCKED_TEXT}$\r$\n$\r$\n$0" "${LOCKED_TEXT}$\r$\n$\r$\n$0"

;--------------------------------
; Interface

!define MUI_ICON "${__FILEDIR__}\calfdesk.ico"
!define MUI_UNICON "${__FILEDIR__}\calfdesk.ico"
!define MUI_ABORTWARNING
!define MUI_UNABORTWARNING

!define MUI_WELCOMEPAGE_TEXT "Setup will install CalfDesk ${VERSION} on this computer, for all its users.$\r$\n$\r$\nIf CalfDesk is already installed, Setup replaces the program and keeps every patient record, backup and setting.$\r$\n$\r$\nClose CalfDesk before you continue.$\r$\n$\r$\nClick Next to continue."
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_TEXT_LARGE
!define MUI_FINISHPAGE_TEXT "CalfDesk ${VERSION} is installed.$\r$\n$\r$\nIf an older CalfDesk was installed, your patient records were kept. If this version needs to update the database, it does so the next time it starts, after making a backup and checking it."
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_TEXT "Start CalfDesk"
!define MUI_FINISHPAGE_RUN_FUNCTION StartCalfDeskAsUser
!insertmacro MUI_PAGE_FINISH

!define MUI_UNCONFIRMPAGE_TEXT_TOP "CalfDesk will be removed from the folder below. The patient database and its backups are NOT removed: they stay in each user's ${DATA_FOLDER} folder, and in any backup folder chosen in CalfDesk."
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!define MUI_FINISHPAGE_TEXT "CalfDesk has been removed from this computer.$\r$\n$\r$\nThe patient database (calfdesk.sqlite3) and its backups are still in each Windows user's folder C:\Users\<user name>\${DATA_FOLDER}. Installing CalfDesk again opens them as before."
!insertmacro MUI_UNPAGE_FINISH

!insertmacro MUI_LANGUAGE "English"

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "CalfDesk"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "Copyright CalfDesk"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${PRODUCT} ${VERSION} Setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION4}"

;--------------------------------
; Removing the program files, shared by an upgrade and the uninstaller.
;
; Only the files a CalfDesk bundle consists of, never the whole folder: someone may have chosen a folder
; that holds other things too. A running CalfDesk keeps its .exe and its libraries open, and Windows will not
; delete an open file: the existence checks catch that (whatever Delete's error flag says) and the user is
; asked to close CalfDesk. A silent run (/S) cannot ask: it stops instead, with the folder left as it was
; or, if only the libraries were locked, without its two programs until Setup runs again.

!macro REMOVE_PROGRAM_FILES AGAIN
  retry:
    Delete "$INSTDIR\CalfDesk.exe"
    Delete "$INSTDIR\calfdesk-cli.exe"
    ${If} ${FileExists} "$INSTDIR\CalfDesk.exe"
    ${OrIf} ${FileExists} "$INSTDIR\calfdesk-cli.exe"
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${LOCKED_TEXT}" /SD IDCANCEL IDRETRY retry
      Abort "CalfDesk is still open: nothing was changed."
    ${EndIf}
    RMDir /r "$INSTDIR\_internal"
    ${If} ${FileExists} "$INSTDIR\_internal\*.*"
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${LOCKED_TEXT}" /SD IDCANCEL IDRETRY retry
      Abort "CalfDesk is still open: ${AGAIN} once it is closed."
    ${EndIf}
    Delete "$INSTDIR\${UNINSTALLER}"
!macroend

;--------------------------------
; Program Files and HKLM are writable only by an administrator. Windows asks for one (RequestExecutionLevel
; admin), except where UAC is switched off: there a standard user would get a setup that fails half way.

!macro REQUIRE_ADMINISTRATOR
  UserInfo::GetAccountType
  Pop $0
  ${If} $0 != "Admin"
    MessageBox MB_OK|MB_ICONSTOP "${ADMIN_TEXT}" /SD IDOK
    SetErrorLevel 740 ; ERROR_ELEVATION_REQUIRED, for a silent run's caller
    Quit
  ${EndIf}
!macroend

;--------------------------------
; Sections

Section "CalfDesk (required)" SecProgram
  SectionIn RO
  Call RemoveOldProgram
  ; The shortcut sections below make the shortcuts chosen this time.
  Delete "$SMPROGRAMS\${SHORTCUT}"
  Delete "$DESKTOP\${SHORTCUT}"

  SetOutPath "$INSTDIR"
  File "${BUNDLE_DIR}\CalfDesk.exe"
  File "${BUNDLE_DIR}\calfdesk-cli.exe"
  ; "File /r dir\*" copies the folder's whole tree; "File /r _internal" would also match any folder of
  ; that name deeper down. The bundle's own files only, by name: so the uninstaller knows them all.
  SetOutPath "$INSTDIR\_internal"
  File /r "${BUNDLE_DIR}\_internal\*"
  SetOutPath "$INSTDIR"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"
  Call WriteUninstallEntry
SectionEnd

Section "Start menu shortcut" SecStartMenu
  CreateShortcut "$SMPROGRAMS\${SHORTCUT}" "$INSTDIR\CalfDesk.exe"
SectionEnd

Section /o "Desktop shortcut" SecDesktop
  CreateShortcut "$DESKTOP\${SHORTCUT}" "$INSTDIR\CalfDesk.exe"
SectionEnd

Section "Uninstall"
  Call un.RemoveProgram
  Delete "$SMPROGRAMS\${SHORTCUT}"
  Delete "$DESKTOP\${SHORTCUT}"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  ; Removed only when empty: a user's own file left in the program folder stays.
  RMDir "$INSTDIR"
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecProgram} "The CalfDesk program. Patient records are not part of it: they stay where they are."
  !insertmacro MUI_DESCRIPTION_TEXT ${SecStartMenu} "CalfDesk in the Start menu, for every user of this computer."
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "A CalfDesk icon on the desktop of every user of this computer."
!insertmacro MUI_FUNCTION_DESCRIPTION_END

;--------------------------------
; Functions

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "CalfDesk needs 64-bit Windows 10 or 11." /SD IDOK
    Abort
  ${EndIf}
  ${IfNot} ${AtLeastWin10}
    MessageBox MB_OK|MB_ICONSTOP "CalfDesk needs Windows 10 or 11. Ask your IT support to update this computer." /SD IDOK
    Abort
  ${EndIf}
  !insertmacro REQUIRE_ADMINISTRATOR
  ; The uninstall entry goes in the 64-bit registry, where Windows looks for a 64-bit program, and the
  ; shortcuts in the Start menu and desktop that all users share.
  SetRegView 64
  SetShellVarContext all

  ReadRegStr $0 HKLM "${UNINSTALL_KEY}" "InstallLocation"
  ${If} $0 == ""
    Return
  ${EndIf}
  ; An upgrade goes where the installed copy is, unless /D= on the command line chose another folder.
  ${If} $INSTDIR == "${DEFAULT_DIR}"
    StrCpy $INSTDIR $0
  ${EndIf}
  ; Keep the shortcuts the user had chosen the last time.
  ${IfNot} ${FileExists} "$SMPROGRAMS\${SHORTCUT}"
    !insertmacro UnselectSection ${SecStartMenu}
  ${EndIf}
  ${If} ${FileExists} "$DESKTOP\${SHORTCUT}"
    !insertmacro SelectSection ${SecDesktop}
  ${EndIf}

  ; An older CalfDesk may not open a database that a newer one has already updated.
  ReadRegStr $1 HKLM "${UNINSTALL_KEY}" "DisplayVersion"
  ${VersionCompare} "$1" "${VERSION}" $2
  ${If} $2 == 1
    MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "CalfDesk $1 is installed, which is newer than the ${VERSION} this Setup installs. The older version may not open a database that the newer one has updated.$\r$\n$\r$\nInstall CalfDesk ${VERSION} anyway?" /SD IDNO IDYES downgrade_confirmed
    Abort
    downgrade_confirmed:
  ${EndIf}
FunctionEnd

Function RemoveOldProgram
  !insertmacro REMOVE_PROGRAM_FILES "run Setup again"
FunctionEnd

Function WriteUninstallEntry
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "CalfDesk"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\CalfDesk.exe,0"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" "$0"
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
FunctionEnd

; Setup runs elevated, perhaps as another account (IT typed an administrator's password): started from here
; directly, CalfDesk would run as that account and keep its database in that account's profile. Explorer
; starts it as the user who is signed in, not elevated.
Function StartCalfDeskAsUser
  Exec '"$WINDIR\explorer.exe" "$INSTDIR\CalfDesk.exe"'
FunctionEnd

Function un.onInit
  !insertmacro REQUIRE_ADMINISTRATOR
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Function un.RemoveProgram
  !insertmacro REMOVE_PROGRAM_FILES "remove CalfDesk again"
FunctionEnd
