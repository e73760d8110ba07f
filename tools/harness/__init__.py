"""Real processes for the tests, the demo and the benchmarks: the model servers and a
LibreOffice with the built extension installed. Development tooling, not shipped."""
