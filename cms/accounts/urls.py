from django.contrib.auth import views as auth_views
from django.urls import path

from . import two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("two-factor/", two_factor_views.overview, name="two_factor"),
    path("two-factor/setup/", two_factor_views.setup, name="two_factor_setup"),
    path("two-factor/verify/", two_factor_views.verify, name="two_factor_verify"),
    path("two-factor/backup-codes/", two_factor_views.backup_codes, name="two_factor_backup_codes"),
    path(
        "two-factor/backup-codes/new/",
        two_factor_views.regenerate_backup_codes,
        name="two_factor_regenerate_backup_codes",
    ),
    path("two-factor/remove/", two_factor_views.remove, name="two_factor_remove"),
]
