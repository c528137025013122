from projects import create_app

app = create_app()
