"""Stage 3: the rule API, the engine that runs rules, rule selection,
configuration, suppressions and the check pipeline that wires the stages."""
