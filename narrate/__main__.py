from narrate.cli import main_entry

main_entry()
