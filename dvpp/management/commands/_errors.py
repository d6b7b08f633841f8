from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


def command_error(error: ValidationError) -> CommandError:
    """Turn a model or service ValidationError into one readable line per problem."""
    if hasattr(error, "error_dict"):
        lines = [
            f"{field}: {message}" if field != "__all__" else message
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    else:
        lines = error.messages
    return CommandError("\n".join(lines))
