from django.core.management.base import BaseCommand, CommandError

from dvpp.models import User
from dvpp.two_factor import DEMO_DEVICE_NAME, current_code, demo_key


class Command(BaseCommand):
    help = (
        "Print the current two-factor sign-in code of a demo user made by seed_demo. Works only "
        "for demo accounts (their secret is published); real accounts use their own phone."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="A demo username, e.g. demo-manager or ru-iss.")

    def handle(self, *args, **options):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        username = options["username"]
        user = User.objects.filter(username=username).first()
        device = (
            TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME, confirmed=True).first()
            if user
            else None
        )
        if device is None or device.key != demo_key(username):
            raise CommandError(
                f"{username!r} is not a demo user with a demo authenticator (run seed_demo)."
            )
        self.stdout.write(current_code(device))
