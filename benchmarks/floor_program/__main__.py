"""The floor as a Pulumi program: replay the records the benchmark loaded into benchmarks.floor.RECORDS."""

from benchmarks.floor import replay

replay()
