"""Drive bmc-emu's Redfish service with sushy (Ironic's Redfish library).

Usage: sushy_client.py REDFISH_URL USER PASSWORD API_URL BMC_ID

Prints one JSON object per line, {"step": ..., ...}, for the Deno test to
check; exits non-zero on the first failure.
"""

import json
import sys
import time
import urllib.error
import urllib.request

import sushy
from sushy.resources import constants as res_cons

redfish, user, password, api, bmc_id = sys.argv[1:6]


def report(step, **fields):
    print(json.dumps({"step": step, **fields}), flush=True)


def api_power():
    with urllib.request.urlopen(f"{api}/api/v1/bmcs/{bmc_id}") as res:
        return json.load(res)["power"]["state"]


def status_of(path):
    try:
        with urllib.request.urlopen(f"{redfish}{path}") as res:
            return res.status
    except urllib.error.HTTPError as e:
        return e.code
    except (urllib.error.URLError, OSError):  # refused or cut: the BMC is rebooting
        return 0


root = sushy.Sushy(f"{redfish}/redfish/v1/",
                   auth=sushy.auth.SessionAuth(username=user, password=password))
report("connect", version=root.redfish_version, uuid=root.uuid)

systems = [m.path for m in root.get_system_collection().get_members()]
managers = [m.path for m in root.get_manager_collection().get_members()]
chassis = [m.path for m in root.get_chassis_collection().get_members()]
report("collections", systems=systems, managers=managers, chassis=chassis)

system = root.get_system(systems[0])
report("system", power=system.power_state.value, uuid=system.uuid,
       manufacturer=system.manufacturer, sku=system.sku,
       serial=system.serial_number,
       resets=sorted(v.value for v in system.get_allowed_reset_system_values()))

system.reset_system(res_cons.ResetType.FORCE_RESTART)
report("force-restart")
system.reset_system(res_cons.ResetType.POWER_CYCLE)
report("power-cycle")

system.reset_system(res_cons.ResetType.FORCE_OFF)
system.refresh()
report("force-off", redfish_power=system.power_state.value, api_power=api_power())

entries = root._conn.get(
    f"{managers[0]}/LogServices/SEL/Entries").json()["Members"]
report("sel", entries=[{k: e.get(k) for k in
                        ("Id", "EntryType", "SensorType", "EntryCode", "Severity",
                         "Created", "Message")} for e in entries])

ch = root.get_chassis(chassis[0])
report("sensors",
       temperatures={t.name: t.reading_celsius for t in ch.thermal.temperatures},
       fans={f.name: f.reading for f in ch.thermal.fans},
       voltages={v["Name"]: v["ReadingVolts"] for v in
                 root._conn.get(f"{chassis[0]}/Power").json()["Voltages"]})

manager = root.get_manager(managers[0])
report("manager", type=manager.manager_type.value,
       firmware=manager.firmware_version,
       resets=sorted(v.value for v in manager.get_allowed_reset_manager_values()))
manager.reset_manager(res_cons.ResetType.GRACEFUL_RESTART)
seen = set()
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    code = status_of("/redfish/v1/")
    seen.add(code)
    if code == 200 and len(seen) > 1:
        break
    time.sleep(0.2)
report("manager-reset", statuses=sorted(seen))

# The reboot forgot the session: sushy logs in again on 401.
root2 = sushy.Sushy(f"{redfish}/redfish/v1/",
                    auth=sushy.auth.SessionAuth(username=user, password=password))
report("after-reset", power=root2.get_system(systems[0]).power_state.value)
