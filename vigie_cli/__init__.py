"""vigie_cli"""
