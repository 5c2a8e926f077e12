"""One step of driving bmc-emu's Redfish service with sushy, a guest attached.

Usage: sushy_guest.py REDFISH_URL USER PASSWORD STEP [ARG]

STEP is inventory | reset RESET_TYPE | sel | sensors | manager-reset. Every
run logs in with a Redfish session (sushy's SessionAuth), prints one JSON
object {"step": STEP, ...} for the Deno test (test/e2e/redfish_guest_test.ts)
to check, and exits non-zero on failure. The test does the waiting (guest
reboots, the BMC coming back); this script never sleeps.
"""

import json
import sys

import sushy
from sushy.resources import constants as res_cons

redfish, user, password, step = sys.argv[1:5]
arg = sys.argv[5] if len(sys.argv) > 5 else None

auth = sushy.auth.SessionAuth(username=user, password=password)
root = sushy.Sushy(f"{redfish}/redfish/v1/", auth=auth)
systems = [m.path for m in root.get_system_collection().get_members()]
managers = [m.path for m in root.get_manager_collection().get_members()]
chassis = [m.path for m in root.get_chassis_collection().get_members()]
session = {"key": auth.get_session_key() is not None,
           "resource": auth.get_session_resource_id()}


def report(**fields):
    print(json.dumps({"step": step, "session": session, **fields}), flush=True)


def logout():
    auth.close()  # DELETE of the session resource


if step == "inventory":
    system = root.get_system(systems[0])
    manager = root.get_manager(managers[0])
    report(version=root.redfish_version, uuid=root.uuid,
           systems=systems, managers=managers, chassis=chassis,
           power=system.power_state.value, system_uuid=system.uuid,
           resets=sorted(v.value for v in system.get_allowed_reset_system_values()),
           manager_type=manager.manager_type.value,
           manager_resets=sorted(
               v.value for v in manager.get_allowed_reset_manager_values()))
    logout()
elif step == "reset":
    system = root.get_system(systems[0])
    reset_type = res_cons.ResetType(arg)
    system.reset_system(reset_type)
    system.refresh()
    report(reset=reset_type.value, power=system.power_state.value)
    logout()
elif step == "sel":
    log = f"{managers[0]}/LogServices/SEL"
    service = root._conn.get(log).json()
    entries = root._conn.get(f"{log}/Entries").json()["Members"]
    report(service={k: service.get(k) for k in ("Id", "LogEntryType", "OverWritePolicy")},
           entries=[{k: e.get(k) for k in
                     ("Id", "EntryType", "SensorType", "EntryCode", "Severity",
                      "Created", "Message", "SensorNumber")} for e in entries])
    logout()
elif step == "sensors":
    ch = root.get_chassis(chassis[0])
    sensors = root._conn.get(f"{chassis[0]}/Sensors").json()["Members"]
    readings = {}
    for member in sensors:
        s = root._conn.get(member["@odata.id"]).json()
        readings[s["Name"]] = {k: s.get(k) for k in ("Reading", "ReadingUnits", "ReadingType")}
    report(power=ch.power_state.value if ch.power_state else None,
           temperatures={t.name: t.reading_celsius for t in ch.thermal.temperatures},
           fans={f.name: f.reading for f in ch.thermal.fans},
           voltages={v["Name"]: v.get("ReadingVolts") for v in
                     root._conn.get(f"{chassis[0]}/Power").json().get("Voltages", [])},
           sensors=readings)
    logout()
elif step == "manager-reset":
    manager = root.get_manager(managers[0])
    manager.reset_manager(res_cons.ResetType.GRACEFUL_RESTART)
    # No logout: the reboot ends every session.
    report(reset="GracefulRestart")
else:
    sys.exit(f"unknown step {step}")
