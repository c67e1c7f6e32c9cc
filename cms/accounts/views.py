from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import two_factor
from .forms import LoginForm, ProfileForm


class LoginView(auth_views.LoginView):
    """The public sign-in form; a person who must give a code goes there next, then where it asked."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def get_success_url(self):
        url = super().get_success_url()
        return two_factor.next_step_url(self.request.user, url) or url


@login_required
def profile(request):
    """A person's own profile: name, e-mail, organisation and the language of their notifications."""
    form = ProfileForm(request.POST or None, instance=request.user.profile, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "profile": request.user.profile})
