/* Static facts the demo draws from: places with coordinates, the binaries a
 * Windows fleet runs (folder, vendor, description), and the cloud applications. */
#include "demo_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ----------------------------------------------------------------- places */
static const demo_geo GEOS[] = {
    /* offices */
    {"Chicago", "Illinois", "US", 41.8781, -87.6298},
    {"New York", "New York", "US", 40.7128, -74.0060},
    {"London", "England", "GB", 51.5072, -0.1276},
    {"Munich", "Bavaria", "DE", 48.1351, 11.5820},
    {"Bengaluru", "Karnataka", "IN", 12.9716, 77.5946},
    /* where people live */
    {"Evanston", "Illinois", "US", 42.0451, -87.6877},
    {"Naperville", "Illinois", "US", 41.7508, -88.1535},
    {"Oak Park", "Illinois", "US", 41.8850, -87.7845},
    {"Hoboken", "New Jersey", "US", 40.7440, -74.0324},
    {"Brooklyn", "New York", "US", 40.6782, -73.9442},
    {"Reading", "England", "GB", 51.4543, -0.9781},
    {"Croydon", "England", "GB", 51.3762, -0.0982},
    {"Augsburg", "Bavaria", "DE", 48.3705, 10.8978},
    {"Mysuru", "Karnataka", "IN", 12.2958, 76.6394},
    {"Denver", "Colorado", "US", 39.7392, -104.9903},
    {"Austin", "Texas", "US", 30.2672, -97.7431},
    {"Seattle", "Washington", "US", 47.6062, -122.3321},
    /* travel */
    {"Toronto", "Ontario", "CA", 43.6532, -79.3832},
    {"Paris", "Ile-de-France", "FR", 48.8566, 2.3522},
    {"Amsterdam", "North Holland", "NL", 52.3676, 4.9041},
    {"Singapore", "Singapore", "SG", 1.3521, 103.8198},
    {"Dublin", "Dublin", "IE", 53.3498, -6.2603},
    {"Madrid", "Madrid", "ES", 40.4168, -3.7038},
    {"Tokyo", "Tokyo", "JP", 35.6762, 139.6503},
    {"Sydney", "New South Wales", "AU", -33.8688, 151.2093},
    {"Mexico City", "Mexico City", "MX", 19.4326, -99.1332},
    /* where attackers' infrastructure sits */
    {"Lagos", "Lagos", "NG", 6.5244, 3.3792},
    {"Sao Paulo", "Sao Paulo", "BR", -23.5558, -46.6396},
    {"Bucharest", "Bucharest", "RO", 44.4268, 26.1025},
    {"Moscow", "Moscow", "RU", 55.7558, 37.6173},
    {"Frankfurt am Main", "Hesse", "DE", 50.1109, 8.6821},
    {"Ho Chi Minh City", "Ho Chi Minh", "VN", 10.8231, 106.6297},
    {"Hong Kong", "Hong Kong", "HK", 22.3193, 114.1694},
    {"Kyiv", "Kyiv City", "UA", 50.4501, 30.5234},
    {"Shenzhen", "Guangdong", "CN", 22.5431, 114.0579},
};

const demo_geo *demo_geo_find(const char *city) {
    for (size_t i = 0; i < SP_ARRAY_LEN(GEOS); i++)
        if (!strcmp(GEOS[i].city, city)) return &GEOS[i];
    return &GEOS[0];
}

/* --------------------------------------------------------------- binaries */
#define MS "Microsoft Corporation"
#define WINOS "Microsoft\xc2\xae Windows\xc2\xae Operating System"
#define SYS32 "C:\\Windows\\System32"
#define OFFICE "C:\\Program Files\\Microsoft Office\\root\\Office16"

static const demo_bin BINS[] = {
    {"explorer.exe", "C:\\Windows", MS, WINOS, "Windows Explorer", "OsVendor", 5120000},
    {"svchost.exe", SYS32, MS, WINOS, "Host Process for Windows Services", "OsVendor", 57360},
    {"services.exe", SYS32, MS, WINOS, "Services and Controller app", "OsVendor", 716800},
    {"lsass.exe", SYS32, MS, WINOS, "Local Security Authority Process", "OsVendor", 83944},
    {"winlogon.exe", SYS32, MS, WINOS, "Windows Logon Application", "OsVendor", 905216},
    {"userinit.exe", SYS32, MS, WINOS, "Userinit Logon Application", "OsVendor", 29696},
    {"smss.exe", SYS32, MS, WINOS, "Windows Session Manager", "OsVendor", 151552},
    {"cmd.exe", SYS32, MS, WINOS, "Windows Command Processor", "OsVendor", 289792},
    {"powershell.exe", SYS32 "\\WindowsPowerShell\\v1.0", MS, WINOS, "Windows PowerShell",
     "OsVendor", 450560},
    {"pwsh.exe", "C:\\Program Files\\PowerShell\\7", MS, "PowerShell", "pwsh", "OsVendorApplication",
     287160},
    {"conhost.exe", SYS32, MS, WINOS, "Console Window Host", "OsVendor", 868352},
    {"rundll32.exe", SYS32, MS, WINOS, "Windows host process (Rundll32)", "OsVendor", 71680},
    {"regsvr32.exe", SYS32, MS, WINOS, "Microsoft(C) Register Server", "OsVendor", 25088},
    {"mshta.exe", SYS32, MS, "Internet Explorer", "Microsoft (R) HTML Application host",
     "OsVendor", 14336},
    {"wscript.exe", SYS32, MS, WINOS, "Microsoft \xc2\xae Windows Based Script Host", "OsVendor",
     169472},
    {"cscript.exe", SYS32, MS, WINOS, "Microsoft \xc2\xae Console Based Script Host", "OsVendor",
     161280},
    {"certutil.exe", SYS32, MS, WINOS, "CertUtil.exe", "OsVendor", 1545728},
    {"bitsadmin.exe", SYS32, MS, WINOS, "BITS administration utility", "OsVendor", 189952},
    {"net.exe", SYS32, MS, WINOS, "Net Command", "OsVendor", 57344},
    {"net1.exe", SYS32, MS, WINOS, "Net Command", "OsVendor", 172032},
    {"whoami.exe", SYS32, MS, WINOS, "whoami - displays logged on user information", "OsVendor",
     73728},
    {"nltest.exe", SYS32, MS, WINOS, "Microsoft\xc2\xae Logon Server Test Utility", "OsVendor",
     109056},
    {"ipconfig.exe", SYS32, MS, WINOS, "IP Configuration Utility", "OsVendor", 35328},
    {"systeminfo.exe", SYS32, MS, WINOS, "Displays system information", "OsVendor", 91136},
    {"quser.exe", SYS32, MS, WINOS, "Query User Utility", "OsVendor", 22016},
    {"tasklist.exe", SYS32, MS, WINOS, "Lists the current running tasks", "OsVendor", 88576},
    {"schtasks.exe", SYS32, MS, WINOS, "Task Scheduler Configuration Tool", "OsVendor", 235520},
    {"reg.exe", SYS32, MS, WINOS, "Registry Console Tool", "OsVendor", 77824},
    {"sc.exe", SYS32, MS, WINOS, "Service Control Manager Configuration Tool", "OsVendor",
     72192},
    {"WMIC.exe", SYS32 "\\wbem", MS, WINOS, "WMI Commandline Utility", "OsVendor", 509952},
    {"WmiPrvSE.exe", SYS32 "\\wbem", MS, WINOS, "WMI Provider Host", "OsVendor", 494592},
    {"vssadmin.exe", SYS32, MS, WINOS, "Command Line Interface for Microsoft\xc2\xae Volume Shadow "
     "Copy Service", "OsVendor", 139264},
    {"bcdedit.exe", SYS32, MS, WINOS, "Boot Configuration Data Editor", "OsVendor", 487936},
    {"wbadmin.exe", SYS32, MS, WINOS, "Command Line Interface for Microsoft\xc2\xae BLB Backup",
     "OsVendor", 260608},
    {"msiexec.exe", SYS32, MS, WINOS, "Windows\xc2\xae installer", "OsVendor", 62464},
    {"taskhostw.exe", SYS32, MS, WINOS, "Host Process for Windows Tasks", "OsVendor", 100864},
    {"sihost.exe", SYS32, MS, WINOS, "Shell Infrastructure Host", "OsVendor", 126464},
    {"RuntimeBroker.exe", SYS32, MS, WINOS, "Runtime Broker", "OsVendor", 139264},
    {"SearchProtocolHost.exe", SYS32, MS, WINOS, "Microsoft Windows Search Protocol Host",
     "OsVendor", 451072},
    {"consent.exe", SYS32, MS, WINOS, "Consent UI for administrative applications", "OsVendor",
     178688},
    {"dllhost.exe", SYS32, MS, WINOS, "COM Surrogate", "OsVendor", 21312},
    {"notepad.exe", SYS32, MS, WINOS, "Notepad", "OsVendor", 201216},
    {"mmc.exe", SYS32, MS, WINOS, "Microsoft Management Console", "OsVendor", 1888768},
    {"mstsc.exe", SYS32, MS, WINOS, "Remote Desktop Connection", "OsVendor", 1402880},
    {"gpupdate.exe", SYS32, MS, WINOS, "Microsoft\xc2\xae Windows Group Policy Update Utility",
     "OsVendor", 29184},
    {"TiWorker.exe", "C:\\Windows\\WinSxS\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35"
     "_10.0.19041.4585_none_7b3e3b6b9c1c6a1d", MS, WINOS, "Windows Modules Installer Worker",
     "OsVendor", 211456},
    {"TrustedInstaller.exe", "C:\\Windows\\servicing", MS, WINOS, "Windows Modules Installer",
     "OsVendor", 122880},
    {"wuauclt.exe", SYS32, MS, WINOS, "Windows Update", "OsVendor", 118784},
    {"MsMpEng.exe", "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0", MS,
     "Microsoft\xc2\xae Windows\xc2\xae Operating System", "Antimalware Service Executable",
     "OsVendor", 133592},
    {"MpCmdRun.exe", "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0", MS,
     WINOS, "Microsoft Malware Protection Command Line Utility", "OsVendor", 1530880},
    {"MsSense.exe", "C:\\Program Files\\Windows Defender Advanced Threat Protection", MS, WINOS,
     "Windows Defender Advanced Threat Protection Service Executable", "OsVendor", 4571760},
    {"SenseIR.exe", "C:\\Program Files\\Windows Defender Advanced Threat Protection", MS, WINOS,
     "Windows Defender Advanced Threat Protection Service Executable", "OsVendor", 1938400},
    {"CompatTelRunner.exe", SYS32, MS, WINOS, "Microsoft Compatibility Telemetry", "OsVendor",
     197120},
    {"backgroundTaskHost.exe", SYS32, MS, WINOS, "Background Task Host", "OsVendor", 19352},
    {"smartscreen.exe", SYS32, MS, WINOS, "Windows Defender SmartScreen", "OsVendor", 2567168},
    {"wermgr.exe", SYS32, MS, WINOS, "Windows Problem Reporting", "OsVendor", 209408},
    {"csc.exe", "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319", MS,
     "Microsoft\xc2\xae .NET Framework", "Visual C# Command Line Compiler", "OsVendor", 2759232},
    {"w3wp.exe", SYS32 "\\inetsrv", MS, "Internet Information Services", "IIS Worker Process",
     "OsVendor", 24928},
    {"sqlservr.exe", "C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn",
     MS, "Microsoft SQL Server", "SQL Server Windows NT - 64 Bit", "OsVendorApplication",
     478320},
    {"CcmExec.exe", "C:\\Windows\\CCM", MS, "System Center Configuration Manager",
     "Host Process for Microsoft Configuration Manager", "OsVendorApplication", 243120},
    {"AgentExecutor.exe", "C:\\Program Files (x86)\\Microsoft Intune Management Extension", MS,
     "Microsoft Intune Management Extension", "AgentExecutor", "OsVendorApplication", 41272},
    {"msedge.exe", "C:\\Program Files (x86)\\Microsoft\\Edge\\Application", MS, "Microsoft Edge",
     "Microsoft Edge", "OsVendorApplication", 4123456},
    {"chrome.exe", "C:\\Program Files\\Google\\Chrome\\Application", "Google LLC", "Google Chrome",
     "Google Chrome", "Unknown", 3102040},
    {"firefox.exe", "C:\\Program Files\\Mozilla Firefox", "Mozilla Corporation", "Firefox",
     "Firefox", "Unknown", 667520},
    {"OUTLOOK.EXE", OFFICE, MS, "Microsoft Outlook", "Microsoft Outlook", "OsVendorApplication",
     43219856},
    {"WINWORD.EXE", OFFICE, MS, "Microsoft Office", "Microsoft Word", "OsVendorApplication",
     1967952},
    {"EXCEL.EXE", OFFICE, MS, "Microsoft Office", "Microsoft Excel", "OsVendorApplication",
     65435024},
    {"POWERPNT.EXE", OFFICE, MS, "Microsoft Office", "Microsoft PowerPoint",
     "OsVendorApplication", 1863568},
    {"ONENOTE.EXE", OFFICE, MS, "Microsoft OneNote", "Microsoft OneNote", "OsVendorApplication",
     2683280},
    {"ms-teams.exe", "C:\\Program Files\\WindowsApps\\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe",
     MS, "Microsoft Teams", "Microsoft Teams", "OsVendorApplication", 1423624},
    {"OneDrive.exe", "C:\\Program Files\\Microsoft OneDrive", MS, "Microsoft OneDrive",
     "Microsoft OneDrive", "OsVendorApplication", 3619640},
    {"AcroRd32.exe", "C:\\Program Files (x86)\\Adobe\\Acrobat Reader DC\\Reader",
     "Adobe Systems Incorporated", "Adobe Acrobat Reader DC", "Adobe Acrobat Reader DC",
     "Unknown", 3361240},
    {"Zoom.exe", "C:\\Users\\%USER%\\AppData\\Roaming\\Zoom\\bin", "Zoom Video Communications, Inc.",
     "Zoom Meetings", "Zoom Meetings", "Unknown", 411272},
    {"slack.exe", "C:\\Users\\%USER%\\AppData\\Local\\slack\\app-4.41.97", "Slack Technologies, LLC",
     "Slack", "Slack", "Unknown", 155472},
    {"Code.exe", "C:\\Users\\%USER%\\AppData\\Local\\Programs\\Microsoft VS Code", MS,
     "Visual Studio Code", "Visual Studio Code", "OsVendorApplication", 157112400},
    {"git.exe", "C:\\Program Files\\Git\\cmd", "The Git Development Community", "Git", "Git for Windows",
     "Unknown", 47232},
    {"python.exe", "C:\\Users\\%USER%\\AppData\\Local\\Programs\\Python\\Python312",
     "Python Software Foundation", "Python", "Python", "Unknown", 103192},
    {"java.exe", "C:\\Program Files\\Eclipse Adoptium\\jre-17.0.12.7-hotspot\\bin",
     "Eclipse Adoptium", "OpenJDK Platform 17.0.12", "OpenJDK Platform binary", "Unknown", 38304},
    {"7z.exe", "C:\\Program Files\\7-Zip", "Igor Pavlov", "7-Zip", "7-Zip Console", "Unknown",
     558080},
    {"WinRAR.exe", "C:\\Program Files\\WinRAR", "Alexander Roshal", "WinRAR", "WinRAR archiver",
     "Unknown", 2946320},
    {"notepad++.exe", "C:\\Program Files\\Notepad++", "Don HO don.h@free.fr", "Notepad++",
     "Notepad++", "Unknown", 6452872},
    {"Teams.exe", "C:\\Users\\%USER%\\AppData\\Local\\Microsoft\\Teams\\current", MS,
     "Microsoft Teams", "Microsoft Teams", "OsVendorApplication", 134365584},
    {"PsExec.exe", "C:\\Tools\\SysinternalsSuite", "Sysinternals - www.sysinternals.com",
     "Sysinternals PsExec", "Execute processes remotely", "Unknown", 716176},
    {"PsExec64.exe", "C:\\Tools\\SysinternalsSuite", "Sysinternals - www.sysinternals.com",
     "Sysinternals PsExec", "Execute processes remotely", "Unknown", 833472},
    {"PSEXESVC.exe", "C:\\Windows", "Sysinternals", "Sysinternals PsExec", "PsExec Service",
     "Unknown", 200352},
    {"procdump.exe", "C:\\Tools\\SysinternalsSuite", "Sysinternals - www.sysinternals.com",
     "ProcDump", "Sysinternals process dump utility", "Unknown", 424856},
    {"procdump64.exe", "C:\\Tools\\SysinternalsSuite", "Sysinternals - www.sysinternals.com",
     "ProcDump", "Sysinternals process dump utility", "Unknown", 424856},
    {"mimikatz.exe", "C:\\Windows\\Temp", "gentilkiwi (Benjamin DELPY)", "mimikatz",
     "mimikatz for Windows", "Unknown", 1355680},
    {"rclone.exe", "C:\\Users\\%USER%\\Downloads\\rclone-v1.68.2-windows-amd64", "https://rclone.org",
     "Rclone", "Rclone", "Unknown", 61263872},
    {"AnyDesk.exe", "C:\\Program Files (x86)\\AnyDesk", "philandro Software GmbH", "AnyDesk",
     "AnyDesk", "Unknown", 5205896},
    {"BackupAgent.exe", "C:\\Program Files\\Contoso\\SecureSync", "Contoso Ltd", "SecureSync",
     "SecureSync backup agent", "Unknown", 2812416},
    {"HealthService.exe", "C:\\Program Files\\Microsoft Monitoring Agent\\Agent", MS,
     "Microsoft Monitoring Agent", "Health Service", "OsVendorApplication", 2254016},
    {"setup.exe", "C:\\Users\\%USER%\\Downloads", "", "", "", "Unknown", 1843200},
    {"sshd", "/usr/sbin", "", "OpenSSH", "OpenSSH daemon", "Unknown", 921136},
    {"bash", "/usr/bin", "", "GNU Bash", "GNU Bourne-Again SHell", "Unknown", 1396520},
    {"sudo", "/usr/bin", "", "sudo", "sudo", "Unknown", 232416},
    {"cron", "/usr/sbin", "", "cron", "cron daemon", "Unknown", 68536},
    {"apt-get", "/usr/bin", "", "APT", "APT package handling utility", "Unknown", 14712},
    {"curl", "/usr/bin", "", "curl", "curl", "Unknown", 260328},
    {"python3", "/usr/bin", "", "Python", "Python 3", "Unknown", 5904904},
    {"java", "/usr/lib/jvm/java-17-openjdk-amd64/bin", "", "OpenJDK", "OpenJDK", "Unknown", 14608},
    {"systemd", "/usr/lib/systemd", "", "systemd", "systemd", "Unknown", 96152},
};

/* Lookups by name come with the same literal pointers again and again: a small
 * cache keyed by pointer (checked by content) saves the linear search. */
typedef struct bin_slot {
    const char *key;
    char name[40];
    const demo_bin *bin;
} bin_slot;
static _Thread_local bin_slot BIN_CACHE[256];

const demo_bin *demo_bin_find(const char *name) {
    bin_slot *s = &BIN_CACHE[((uintptr_t)name >> 3) & 255];
    if (s->key == name && !strcmp(s->name, name)) return s->bin;
    const demo_bin *found = NULL;
    for (size_t i = 0; i < SP_ARRAY_LEN(BINS) && !found; i++)
        if (!strcasecmp(BINS[i].name, name)) found = &BINS[i];
    s->key = strlen(name) < sizeof s->name ? name : NULL;
    snprintf(s->name, sizeof s->name, "%s", name);
    s->bin = found;
    return found;
}

/* ----------------------------------------------------------- applications */
const demo_app demo_apps[] = {
    {"Office 365 Exchange Online", "00000002-0000-0ff1-ce00-000000000000",
     "Office 365 Exchange Online"},
    {"Office 365 SharePoint Online", "00000003-0000-0ff1-ce00-000000000000",
     "Office 365 SharePoint Online"},
    {"Microsoft Teams", "1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams Services"},
    {"Microsoft Office", "d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Graph"},
    {"OfficeHome", "4765445b-32c6-49b0-83e6-1d93765276ca", "OfficeHome"},
    {"OneDrive SyncEngine", "ab9b8c07-8f02-4f72-87fa-80105867a763", "Office 365 SharePoint Online"},
    {"Azure Portal", "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Windows Azure Service Management API"},
    {"Microsoft Azure PowerShell", "1950a258-227b-4e31-a9cf-717495945fc2",
     "Windows Azure Service Management API"},
    {"Microsoft Azure CLI", "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
     "Windows Azure Service Management API"},
    {"Outlook Mobile", "27922004-5251-4030-b22d-91ecd9a37ea4", "Office 365 Exchange Online"},
    {"My Signins", "19db86c3-b2b9-44cc-b339-36da233a3be2", "Microsoft Graph"},
    {"Windows Sign In", "38aa3b87-a06d-4817-b275-7a316988d93b", "Windows Azure Active Directory"},
    {"Microsoft Authentication Broker", "29d9ed98-a469-4536-ade2-f981bc1d605e",
     "Microsoft Graph"},
    {"Microsoft Intune Company Portal", "9ba1a5c7-f17a-4de9-a1f1-6178c8d51223",
     "Microsoft Intune"},
    {"Salesforce", "8b0e3f4a-61d9-4c2e-9f0a-3c6b1d2e4f50", "Salesforce"},
    {"Workday", "2c7d9e1f-4a3b-4c5d-8e6f-7a8b9c0d1e2f", "Workday"},
    {"ServiceNow", "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", "ServiceNow"},
    {"Zoom", "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "Zoom"},
    {"GitHub Enterprise Cloud", "f0e1d2c3-b4a5-4968-8776-655443322110", "GitHub Enterprise Cloud"},
    {"Atlassian Cloud", "0a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d", "Atlassian Cloud"},
    {"DocuSign", "7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2918", "DocuSign"},
    {"Concur", "1a2b3c4d-5e6f-4071-8293-a4b5c6d7e8f9", "SAP Concur"},
};
const size_t demo_napps = SP_ARRAY_LEN(demo_apps);

const demo_app *demo_app_find(const char *name) {
    for (size_t i = 0; i < demo_napps; i++)
        if (!strcmp(demo_apps[i].name, name)) return &demo_apps[i];
    return NULL;
}
