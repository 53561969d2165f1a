"""Demo data that spans modules. It sits outside the module boundaries on purpose: it
is a client of every module's application API, and no module depends on it."""
