"""What every room stands on: the error a user can act on (`errors`), today's date (`clock`), the reader
of YAML and JSON we do not trust (`strict_yaml`), the AWS APIs' own string rules (`aws_patterns`) and the
escaping of CSV cells (`spreadsheet`), and Pulumi URNs as the engine writes them (`urns`).

May import: `frontdoor.domain.contracts` only.
"""
