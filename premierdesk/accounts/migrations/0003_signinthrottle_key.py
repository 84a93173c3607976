"""Sign-in throttles are keyed by address, by bucket of unknown addresses or by client."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [
        migrations.RenameField(model_name="signinthrottle", old_name="email", new_name="key"),
        migrations.AlterField(
            model_name="signinthrottle",
            name="key",
            field=models.CharField(max_length=254, unique=True),
        ),
    ]
