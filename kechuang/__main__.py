from kechuang.cli import main

main()
