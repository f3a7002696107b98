"""What every room stands on: the error a user can act on (`errors`), today's date (`clock`), the reader
of YAML and JSON we do not trust (`strict_yaml`), the strict JSON reader of people files (`strict_json`),
reading a person's input file as UTF-8 or refusing it by name (`input_files`), the AWS APIs' own string
rules (`aws_patterns`), the one CSV reader and writer (`spreadsheet`), and Pulumi URNs as the engine
writes them (`urns`).

May import: `frontdoor.domain.contracts` only.
"""
