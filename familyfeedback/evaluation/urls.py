from django.urls import include, path

from familyfeedback.evaluation.views import analysis, power, report, survey, trials

trial = [
    path("", trials.trial, name="trial"),
    path("teams/", trials.set_teams, name="trial_teams"),
    path("analysis/", analysis.trial_analysis, name="trial_analysis"),
    path("randomise/", trials.randomise, name="randomise"),
    path("waves/<slug:kind>/remind/", trials.remind, name="remind"),
    path("questions/", trials.add_question, name="add_question"),
    path("respondents/<int:respondent_id>/link/", trials.change_survey_link,
         name="change_survey_link"),
    path("research-questions/<number:number>/", trials.research_question,
         name="research_question"),
    path("admin-data/", trials.refresh_admin_data, name="refresh_admin_data"),
    path("waves/<slug:kind>/open/", trials.open_wave, name="open_wave"),
    path("report/", report.trial_report, name="trial_report"),
    path("report/pdf/", report.report_pdf, name="report_pdf"),
    path("report/sections/<number:number>/", report.report_finding, name="report_finding"),
    path("report/limitations/", report.report_limitations, name="report_limitations"),
]

evaluation = [
    path("", trials.trials, name="trials"),
    path("new/", trials.new_trial, name="new_trial"),
    path("power/", power.power, name="power"),
    path("<int:trial_id>/", include(trial)),
]

surveys = [
    path("", survey.my_surveys, name="surveys"),
    path("<int:respondent_id>/<int:wave_id>/", survey.answer, name="survey_answer"),
    path("link/<token:token>/", survey.link, name="survey_link"),
    path("by-link/", survey.by_link, name="survey_by_link"),
    path("by-link/<int:wave_id>/", survey.answer_by_link, name="survey_link_answer"),
]

urlpatterns = [
    path("evaluation/", include(evaluation)),
    path("surveys/", include(surveys)),
]
