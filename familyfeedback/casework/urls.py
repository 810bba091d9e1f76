from django.urls import include, path

from familyfeedback.casework.views import (
    administrations,
    caseload,
    families,
    family,
    guide,
    phone,
    sessions,
    support,
    tablet,
    teams,
    trail,
)

team = [
    path("", teams.edit_team, name="edit_team"),
    path("managers/", teams.team_managers, name="team_managers"),
    path("archive/", teams.archive_team, name="archive_team"),
]

one_family = [
    path("", family.family, name="family"),
    path("transfer/", families.transfer_family, name="transfer_family"),
    path("people/new/", family.add_person, name="add_person"),
    path("record-of-access/", trail.family_trail, name="family_trail"),
    path("close/", support.close_support, name="close_support"),
    path("reopen/", support.reopen_support, name="reopen_support"),
    path("sessions/new/", sessions.record_session, name="record_session"),
    path("picture/print/", family.family_picture_print, name="family_picture_print"),
    path("sessions/start/", tablet.start_session, name="start_session"),
]

one_session = [
    path("", sessions.session, name="session"),
    path("rate/<int:person_id>/<str:tool>/", tablet.session_rate, name="session_rate"),
    path("hand-over/<str:tool>/", tablet.session_hand_over, name="session_hand_over"),
    path("end/", tablet.end_session, name="end_session"),
    path("picture/", family.session_family_picture, name="session_family_picture"),
    path("phone/", phone.phone_links, name="phone_links"),
    path("phone/send/", phone.send_phone_link, name="send_phone_link"),
]

administration = [
    path("correct/", administrations.correct_administration, name="correct_administration"),
    path("picture/", administrations.administration_picture, name="administration_picture"),
    path("picture/small/", administrations.administration_picture_thumbnail,
         name="administration_picture_thumbnail"),
]

urlpatterns = [
    path("", caseload.home, name="home"),
    path("overdue/", caseload.overdue, name="overdue"),
    path("administration/teams/", teams.teams, name="teams"),
    path("administration/teams/new/", teams.new_team, name="new_team"),
    path("administration/teams/<int:team_id>/", include(team)),
    path("families/closed/", caseload.closed_families, name="closed_families"),
    path("families/new/", families.open_family, name="open_family"),
    path("families/find/", families.find_family, name="find_family"),
    path("families/<int:family_id>/", include(one_family)),
    path("people/<int:person_id>/edit/", family.edit_person, name="edit_person"),
    path("people/<int:person_id>/alerts/acknowledge/", family.acknowledge_alert,
         name="acknowledge_alert"),
    path("support/<int:episode_id>/summary/", support.closure_summary, name="closure_summary"),
    path("sessions/<int:session_id>/", include(one_session)),
    # A family member's rating on their own phone (casework/views/phone.py): the short public
    # path is the link itself, so it carries nothing but the token.
    path("r/thank-you/", phone.feedback_thanks, name="feedback_thanks"),
    path("r/<token:token>/", phone.feedback_link, name="feedback_link"),
    path("administrations/<int:administration_id>/", include(administration)),
    path("guide/", guide.family_guide, name="family_guide"),
]
