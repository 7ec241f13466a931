<#
.SYNOPSIS
    Build CalfDesk's Windows installer, dist\calfdesk-<version>-setup.exe.

.DESCRIPTION
    On a Windows 10 or 11 (64-bit) build machine with Python 3.11 (64-bit) and NSIS 3 installed, from a
    checkout of the repository:

        powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1

    1. a new virtual environment in build\windows\venv;
    2. the project with its "package" extra (PyInstaller), from wheels only: nothing is compiled;
    3. the one-folder bundle dist\calfdesk from packaging\calfdesk.spec (CalfDesk.exe, calfdesk-cli.exe,
       _internal\ with Python, Qt, the libraries, resources, migrations and licences);
    4. a check that the bundled calfdesk-cli.exe starts and reports the project's version;
    5. makensis on packaging\windows\calfdesk.nsi, which writes dist\calfdesk-<version>-setup.exe.

    It stops at the first step that fails, saying which. Written for Windows PowerShell 5.1, which every
    Windows 10 and 11 has; PowerShell 7 runs it too.

.PARAMETER Python
    The python.exe to build with (3.11, 64-bit). Default: the Python launcher's 3.11 ("py -3.11").

.PARAMETER MakeNsis
    The makensis.exe to use. Default: makensis on the PATH, else the one in NSIS's install folder.

.PARAMETER Wheelhouse
    A folder of wheels to install from, for a build machine with no internet: fill it on a connected
    Windows machine with  py -3.11 -m pip download --only-binary=:all: -d wheels ".[package]"  (the same
    command, from the repository root) and copy it across.
#>
[CmdletBinding()]
param(
    [string]$Python = "",
    [string]$MakeNsis = "",
    [string]$Wheelhouse = ""
)

Set-StrictMode -Version Latest
$ErrorActionPreference = "Stop"

$Root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
$Work = Join-Path $Root "build\windows"
$Venv = Join-Path $Work "venv"
$VenvPython = Join-Path $Venv "Scripts\python.exe"
$Dist = Join-Path $Root "dist"
$Bundle = Join-Path $Dist "calfdesk"
$Spec = Join-Path $Root "packaging\calfdesk.spec"
$Installer = Join-Path $PSScriptRoot "calfdesk.nsi"

function Invoke-Native {
    <# Run a program; stop the build, naming the step, if it exits with anything but 0. Returns its output.

       "Stop" does not apply to a program's exit code, so $LASTEXITCODE is checked after each one. While the
       program runs, "Continue" is in force: pip and PyInstaller write their progress to stderr, which
       Windows PowerShell 5.1 would otherwise turn into a terminating error when output is redirected. #>
    param(
        [Parameter(Mandatory = $true)][string]$Step,
        [Parameter(Mandatory = $true)][string]$Program,
        [string[]]$Arguments = @()
    )
    Write-Host "==> $Step" -ForegroundColor Cyan
    $global:LASTEXITCODE = 0
    $previous = $ErrorActionPreference
    $ErrorActionPreference = "Continue"
    try {
        & $Program @Arguments
    }
    finally {
        $ErrorActionPreference = $previous
    }
    if ($LASTEXITCODE -ne 0) {
        throw "Step failed: $Step ($Program exited with code $LASTEXITCODE). The messages above say why."
    }
}

function Find-Python {
    if ($Python) {
        if (-not (Test-Path -LiteralPath $Python -PathType Leaf)) { throw "-Python: there is no $Python." }
        return (Resolve-Path -LiteralPath $Python).Path
    }
    if (-not (Get-Command py -ErrorAction SilentlyContinue)) {
        throw "Python 3.11 is not found: install Python 3.11 (64-bit) from python.org with the Python launcher, or pass -Python C:\path\to\python.exe."
    }
    $found = Invoke-Native -Step "Find Python 3.11 with the Python launcher" -Program "py" `
        -Arguments @("-3.11", "-c", "import sys; print(sys.executable)")
    return ([string]($found | Select-Object -Last 1)).Trim()
}

function Find-MakeNsis {
    if ($MakeNsis) {
        if (-not (Test-Path -LiteralPath $MakeNsis -PathType Leaf)) { throw "-MakeNsis: there is no $MakeNsis." }
        return (Resolve-Path -LiteralPath $MakeNsis).Path
    }
    $onPath = Get-Command makensis -ErrorAction SilentlyContinue
    if ($onPath) { return $onPath.Source }
    $candidates = @()
    if (${env:ProgramFiles(x86)}) { $candidates += Join-Path ${env:ProgramFiles(x86)} "NSIS\makensis.exe" }
    $candidates += Join-Path $env:ProgramFiles "NSIS\makensis.exe"
    foreach ($candidate in $candidates) {
        if (Test-Path -LiteralPath $candidate -PathType Leaf) { return $candidate }
    }
    throw "NSIS is not found: install NSIS 3 from nsis.sourceforge.io, or pass -MakeNsis C:\path\to\makensis.exe."
}

$started = Get-Date
Push-Location $Root
try {
    # The tools first, so that a missing one is reported before a build of several minutes.
    $Python = Find-Python
    Invoke-Native -Step "Check that $Python is Python 3.11, 64-bit" -Program $Python -Arguments @(
        "-c", "import struct, sys; ok = sys.version_info[:2] == (3, 11) and struct.calcsize('P') == 8; print(sys.version); sys.exit(0 if ok else 'CalfDesk is built with Python 3.11, 64-bit: this is another Python.')"
    )
    $MakeNsis = Find-MakeNsis
    $nsisVersion = ([string](Invoke-Native -Step "Check NSIS ($MakeNsis)" -Program $MakeNsis -Arguments @("-VERSION"))).Trim()
    if ($nsisVersion -notmatch '^v3\.') { throw "CalfDesk's installer script needs NSIS 3; $MakeNsis is $nsisVersion." }
    Write-Host "NSIS $nsisVersion"

    if (Test-Path -LiteralPath $Venv) { Remove-Item -LiteralPath $Venv -Recurse -Force }
    Invoke-Native -Step "Make a virtual environment in $Venv" -Program $Python -Arguments @("-m", "venv", $Venv)

    # Wheels only: a package without a Windows wheel stops the build here, plainly ("No matching
    # distribution"), instead of an attempt to compile it without the libraries it needs.
    $pipArguments = @("-m", "pip", "install", "--disable-pip-version-check", "--only-binary=:all:")
    if ($Wheelhouse) {
        $pipArguments += @("--no-index", "--find-links", (Resolve-Path -LiteralPath $Wheelhouse).Path)
    }
    $pipArguments += ($Root + "[package]")
    Invoke-Native -Step "Install CalfDesk and PyInstaller into the virtual environment" -Program $VenvPython -Arguments $pipArguments

    $Version = ([string](Invoke-Native -Step "Read the version being built" -Program $VenvPython -Arguments @(
        "-c", "import importlib.metadata; print(importlib.metadata.version('calfdesk'))"
    ))).Trim()
    Write-Host "CalfDesk $Version"

    Invoke-Native -Step "Build the bundle with PyInstaller" -Program $VenvPython -Arguments @(
        "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", $Dist, "--workpath", (Join-Path $Work "pyinstaller"), $Spec
    )

    $cli = Join-Path $Bundle "calfdesk-cli.exe"
    foreach ($program in @((Join-Path $Bundle "CalfDesk.exe"), $cli)) {
        if (-not (Test-Path -LiteralPath $program -PathType Leaf)) { throw "The bundle has no $program." }
    }
    $answer = ([string](Invoke-Native -Step "Check the bundle: calfdesk-cli --version" -Program $cli -Arguments @("--version"))).Trim()
    if ($answer -ne "calfdesk $Version") {
        throw "The bundle says '$answer', expected 'calfdesk $Version': dist\calfdesk is not this build."
    }

    $Setup = Join-Path $Dist "calfdesk-$Version-setup.exe"
    if (Test-Path -LiteralPath $Setup) { Remove-Item -LiteralPath $Setup -Force }
    # Absolute paths: makensis resolves relative ones from the script's folder, not from here.
    Invoke-Native -Step "Build the installer with makensis" -Program $MakeNsis -Arguments @(
        "-WX", "-V2", "-DVERSION=$Version", "-DBUNDLE_DIR=$Bundle", "-DOUTFILE=$Setup", $Installer
    )
    if (-not (Test-Path -LiteralPath $Setup -PathType Leaf)) { throw "makensis finished but wrote no $Setup." }

    $megabytes = [math]::Round((Get-Item -LiteralPath $Setup).Length / 1MB, 1)
    $minutes = [math]::Round(((Get-Date) - $started).TotalMinutes, 1)
    Write-Host "Built $Setup ($megabytes MB) in $minutes minutes." -ForegroundColor Green
    Write-Host "It is not code-signed: see packaging\README.md, Windows."
}
finally {
    Pop-Location
}
