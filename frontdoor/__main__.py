from frontdoor.cli import main

raise SystemExit(main())
