"""The offline tooling: the simulated estate, the engine that runs the program under the SDK's mocks,
the policy pack driven over the Analyzer protocol, the preview and the access report. It runs the
program as a separate `__main__.py` and imports only the domain."""
