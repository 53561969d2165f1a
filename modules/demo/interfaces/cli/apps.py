from django.apps import AppConfig


class DemoCliConfig(AppConfig):
    name = "modules.demo.interfaces.cli"
    label = "demo_cli"
