from healthschema.cli import main

main()
