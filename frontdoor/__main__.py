from frontdoor.commands.cli import main

raise SystemExit(main())
