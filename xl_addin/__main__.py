from xl_addin.cli import main

main()
