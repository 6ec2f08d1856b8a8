"""The command line: `coffeechat` opens the app (tui.app, imported only then); every
sub-command prints and exits without loading Textual. The entry point is
`tui.cli.main:main`; each feature module registers its own sub-commands. Nothing outside
this package imports it."""
