"""The frontdoor component library: one ComponentResource per module."""
