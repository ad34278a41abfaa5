#!/bin/sh
# Ingests every table file of ../shared/sample-data (or $1) into a fresh data
# directory and prints the counts per file. Not part of `make test`: the
# shared folder is measurement material, read here through a path argument.
set -u
SAMPLES=${1:-../shared/sample-data}
BIN=${SECPILOT:-build/secpilot}
DATA=${DATA:-$(mktemp -d)/samples}
if [ ! -d "$SAMPLES" ]; then
    echo "ingest-samples: $SAMPLES not found (pass the sample-data path)" >&2
    exit 2
fi
[ -x "$BIN" ] || { echo "ingest-samples: $BIN not built (make build)" >&2; exit 2; }
L=$SAMPLES/azure-sentinel-training-lab
M=$SAMPLES/msticpy
O=$SAMPLES/otrf-security-datasets
status=0
run() { # table [--create] file
    t=$1; shift
    "$BIN" ingest --data "$DATA" --table "$t" "$@" || status=1
}
run AuditLogs "$L/AuditLogs_Hunting.csv"
run HighRiskApps_CL --create "$L/HighRiskApps.csv"
run PenTestsIPaddresses_CL --create "$L/PenTestsIPaddresses.csv"
run AzureActivity "$L/azureActivity_adele.csv"
run SigninLogs "$L/disable_accounts.csv"
run ModelEvasionAlerts_CL --create "$L/model_evasion_detection_CL_alerts.csv"
run OfficeActivity "$L/office_activity.csv"
run OfficeActivity "$L/office_activity_inbox_rule.csv"
run SigninLogs "$L/sign-in_adelete.csv"
run DisabledAccountSignins_CL --create "$L/signinLogs.csv"
run CiscoUmbrellaDns_CL --create "$L/solarigate-beacon-umbrella.csv"
run CommonSecurityLog "$L/solarigate_CEFevent.csv"
run AzureActivity "$L/unverified-provenance/azure_activity.csv"
for f in "$M"/converted-jsonl/*.jsonl; do
    b=$(basename "$f")
    case "$b" in
    SecurityEvent__*) run SecurityEvent "$f" ;;
    SigninLogs__*) run SigninLogs "$f" ;;
    SecurityAlert__*) run SecurityAlert "$f" ;;
    DeviceProcessEvents__*) run DeviceProcessEvents "$f" ;;
    AuditLog_CL__*) run AuditLog_CL --create "$f" ;;
    AzureNetworkAnalytics_CL__*) run AzureNetworkAnalytics_CL --create "$f" ;;
    SentinelIncidentsRESTAPI__*) run SentinelIncidentsRestApi_CL --create "$f" ;;
    *) echo "ingest-samples: no table for $b" >&2; status=1 ;;
    esac
done
run LinuxAuditdRaw_CL --create "$M/original-csv/AuditLog_CL__linux_auditd_events.csv"
run AzureNetworkAnalytics_CL --create "$M/original-csv/AzureNetworkAnalytics_CL__az_net_flows.csv"
run MdeInternalProcess_CL --create "$M/original-csv/MDE_internal_process_schema__mde_proc_cs1.csv"
run OfficeActivity "$M/original-csv/OfficeActivity__demo_exchange_data.csv"
run SecurityAlert "$M/original-csv/SecurityAlert__alertlist.csv"
for f in "$M"/original-csv/SecurityEvent__*.csv; do run SecurityEvent "$f"; done
run Syslog "$M/original-csv/Syslog__syslog_data.csv"
for f in "$O"/sentinel-tables/*/*.jsonl; do
    run "$(basename "$f" .jsonl)" "$f"
done
# archives as published: Windows event logs (Mordor) and Sentinel/Defender exports,
# each row routed to its table (Type, event channel, Defender ActionType)
LIST=$(mktemp)
find "$O/atomic" "$O/compound" -type f \( -name '*.zip' -o -name '*.Zip' -o -name '*.tar.gz' \) | sort >"$LIST"
while read -r f; do run auto "$f"; done <"$LIST"
rm -f "$LIST"
"$BIN" store verify --data "$DATA" || status=1
"$BIN" store info --data "$DATA"
exit $status
