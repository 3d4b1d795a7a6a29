"""The sidebar's defaults as the tests expect them, written out independently of lab_ui."""

#: Sidebar keys (URL query parameters) and their defaults in display units.
SIDEBAR_DEFAULTS = {
    "R": 10.0,
    "C": 1.0,
    "E_L": -65.0,
    "V_th": -50.0,
    "V_reset": -65.0,
    "t_ref": 2.0,
}
