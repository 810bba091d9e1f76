from django.contrib.auth import views as auth_views
from django.urls import path, register_converter

from familyfeedback.accounts import views as accounts
from familyfeedback.casework.views import caseload, families, family, records, sessions, support
from familyfeedback.evaluation.views import analysis, power, survey, trials
from familyfeedback.implementation.views import dashboards, reminders, supervision, training
from familyfeedback.lib.converters import DottedNumberConverter, TokenConverter

register_converter(TokenConverter, "token")
register_converter(DottedNumberConverter, "number")

urlpatterns = [
    path("", caseload.home, name="home"),
    path("overdue/", caseload.overdue, name="overdue"),
    path("dashboards/", dashboards.dashboards, name="dashboards"),
    path("dashboards/<slug:key>.<str:kind>", dashboards.download, name="dashboard_download"),
    path("reminders/", reminders.reminder_preference, name="reminders"),
    path("team/", supervision.team, name="team"),
    path("team/<int:practitioner_id>/", supervision.supervision, name="supervision"),
    path("evaluation/", trials.trials, name="trials"),
    path("evaluation/new/", trials.new_trial, name="new_trial"),
    path("evaluation/power/", power.power, name="power"),
    path("evaluation/<int:trial_id>/", trials.trial, name="trial"),
    path("evaluation/<int:trial_id>/teams/", trials.set_teams, name="trial_teams"),
    path("evaluation/<int:trial_id>/analysis/", analysis.trial_analysis, name="trial_analysis"),
    path("evaluation/<int:trial_id>/randomise/", trials.randomise, name="randomise"),
    path("evaluation/<int:trial_id>/waves/<slug:kind>/remind/", trials.remind, name="remind"),
    path("evaluation/<int:trial_id>/questions/", trials.add_question, name="add_question"),
    path("evaluation/<int:trial_id>/research-questions/<number:number>/",
         trials.research_question, name="research_question"),
    path("evaluation/<int:trial_id>/admin-data/", trials.refresh_admin_data,
         name="refresh_admin_data"),
    path("evaluation/<int:trial_id>/waves/<slug:kind>/open/", trials.open_wave,
         name="open_wave"),
    path("surveys/", survey.my_surveys, name="surveys"),
    path("surveys/<int:respondent_id>/<int:wave_id>/", survey.answer, name="survey_answer"),
    path("surveys/link/<token:token>/", survey.link, name="survey_link"),
    path("surveys/link/<token:token>/<int:wave_id>/", survey.answer_by_link,
         name="survey_link_answer"),
    path("training/", training.training, name="training"),
    path("training/new/", training.add_event, name="add_training_event"),
    path("training/<int:event_id>/attendance/", training.attendance, name="attendance"),
    path("sign-in/", accounts.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("health/", accounts.health, name="health"),
    path("audit/", accounts.audit_log, name="audit_log"),
    path("families/closed/", caseload.closed_families, name="closed_families"),
    path("families/new/", families.open_family, name="open_family"),
    path("families/find/", families.find_family, name="find_family"),
    path("families/<int:family_id>/transfer/", families.transfer_family,
         name="transfer_family"),
    path("families/<int:family_id>/", family.family, name="family"),
    path("families/<int:family_id>/people/new/", family.add_person, name="add_person"),
    path("people/<int:person_id>/edit/", family.edit_person, name="edit_person"),
    path("people/<int:person_id>/alerts/acknowledge/", family.acknowledge_alert,
         name="acknowledge_alert"),
    path("families/<int:family_id>/close/", support.close_support, name="close_support"),
    path("families/<int:family_id>/reopen/", support.reopen_support, name="reopen_support"),
    path("support/<int:episode_id>/summary/", support.closure_summary, name="closure_summary"),
    path("families/<int:family_id>/sessions/new/", sessions.record_session, name="record_session"),
    path("sessions/<int:session_id>/", sessions.session, name="session"),
    path("records/<int:administration_id>/correct/", records.correct_record,
         name="correct_record"),
    path("records/<int:administration_id>/picture/", records.record_picture,
         name="record_picture"),
    path("records/<int:administration_id>/picture/small/", records.record_picture_thumbnail,
         name="record_picture_thumbnail"),
]

handler404 = "familyfeedback.lib.error_pages.not_found"
handler500 = "familyfeedback.lib.error_pages.server_error"
handler403 = "familyfeedback.lib.error_pages.forbidden"
