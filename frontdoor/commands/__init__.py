"""The commands on top: the `frontdoor` CLI and the replacement gate."""
