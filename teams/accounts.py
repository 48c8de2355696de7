"""Staff accounts: the password-reset e-mail goes through the task queue.

Wagtail's admin sends the reset link from inside the request: a mail server that is slow or down
would hold a worker (and its error would tell an attacker the address exists). Here the form
only enqueues the user's id; the task worker makes the link (a fresh token, valid as long as
``PASSWORD_RESET_TIMEOUT`` from then) and sends it. The page answers the same whether the address
belongs to an account or not, as Django's does. Log-in lockouts are django-axes' (settings).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from wagtail.admin.forms.auth import PasswordResetForm

from django_tasks import task


class QueuedPasswordResetForm(PasswordResetForm):
    """Wagtail's password-reset form (``WAGTAILADMIN_USER_PASSWORD_RESET_FORM``), sending by the queue."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        send_password_reset.enqueue(
            context["user"].pk,
            {key: context[key] for key in ("domain", "site_name", "protocol")},
            [subject_template_name, email_template_name, html_email_template_name],
            from_email,
        )


@task()
def send_password_reset(user_id: int, site: dict, templates: list, from_email: str | None) -> bool:
    """Make the reset link of user ``user_id`` and e-mail it; False when the account is gone."""
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    subject_template, body_template, html_template = templates
    context = {
        **site,
        "email": user.email,
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    subject = "".join(loader.render_to_string(subject_template, context).splitlines())
    message = EmailMultiAlternatives(subject, loader.render_to_string(body_template, context), from_email, [user.email])
    if html_template:
        message.attach_alternative(loader.render_to_string(html_template, context), "text/html")
    message.send()
    return True
