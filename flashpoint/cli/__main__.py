from flashpoint.cli.app import main

main()
