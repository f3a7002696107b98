"""What every room stands on: the error a user can act on (`errors`), today's date (`clock`), the reader
of YAML and JSON we do not trust (`strict_yaml`), the AWS APIs' own string rules (`aws_patterns`) and the
escaping of CSV cells (`spreadsheet`).

May import: `frontdoor.domain.contracts` only.
"""
