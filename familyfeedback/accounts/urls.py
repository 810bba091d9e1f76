from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from familyfeedback.accounts import (
    password_reset,
    people_views,
    session_limits,
    sso,
    views,
    views_two_factor,
)

sign_in = [
    path("", views.SignInView.as_view(), name="login"),
    # A forgotten password (accounts/password_reset.py): Django's views under Django's names.
    path("reset/", password_reset.RequestReset.as_view(), name="password_reset"),
    path("reset/sent/", password_reset.ResetSent.as_view(), name="password_reset_done"),
    path("reset/done/", password_reset.ResetDone.as_view(), name="password_reset_complete"),
    path("reset/<token:uidb64>/<token:token>/", password_reset.ChooseNewPassword.as_view(),
         name="password_reset_confirm"),
    path("set-up/", views_two_factor.enrol, name="enrol_two_factor"),
    path("recovery-codes/", views_two_factor.recovery_codes, name="recovery_codes"),
    path("code/", views_two_factor.verify, name="verify_code"),
    path("recovery-code/", views_two_factor.recovery_sign_in, name="recovery_code_sign_in"),
    path("council/", login_not_required(sso.StartView.as_view()),
         name="oidc_authentication_init"),
    path("council/callback/", login_not_required(sso.CallbackView.as_view()),
         name="oidc_authentication_callback"),
    path("council/refused/", views_two_factor.sso_refused, name="sso_refused"),
]

person = [
    path("", people_views.person, name="person"),
    path("resend/", people_views.resend_invitation, name="resend_invitation"),
    path("teams/", people_views.join_team, name="join_team"),
    # One confirmation page, for each change to a whole account (people_views.ACCOUNT_CHANGES).
    path("switch-off/", people_views.change_account, {"change": "switch_off"},
         name="switch_off_account"),
    path("switch-on/", people_views.change_account, {"change": "switch_on"},
         name="switch_on_account"),
    path("reset-sign-in/", people_views.change_account, {"change": "reset_sign_in"},
         name="reset_sign_in"),
]

people = [
    path("", people_views.people, name="people"),
    path("invite/", people_views.invite, name="invite"),
    path("<int:user_id>/", include(person)),
]

membership = [
    path("end/", people_views.end_membership, name="end_membership"),
    path("move/", people_views.move_team, name="move_team"),
]

urlpatterns = [
    path("sign-in/", include(sign_in)),
    path("sign-out/", session_limits.SignOutView.as_view(), name="logout"),
    path("health/", views.health, name="health"),
    path("audit/", views.audit_log, name="audit_log"),
    path("administration/people/", include(people)),
    path("administration/memberships/<int:membership_id>/", include(membership)),
    path("invitation/<str:uidb64>/<str:token>/", people_views.accept_invitation,
         name="accept_invitation"),
]
