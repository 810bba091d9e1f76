from django.urls import include, path

from familyfeedback.evaluation.views import (
    analysis,
    consent,
    exports,
    matrix,
    power,
    qualitative,
    refi_qda,
    report,
    survey,
    trials,
)

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
    path("waves/<slug:kind>/close/", trials.close_wave, name="close_wave"),
    path("retention/", trials.set_retention, name="set_retention"),
    path("survey-links.csv", trials.survey_links_csv, name="survey_links_csv"),
    path("consent/", consent.consent, name="consent"),
    path("consent/<int:respondent_id>/", consent.practitioner_consent,
         name="practitioner_consent"),
    path("consent/<int:respondent_id>/withdraw/", consent.withdraw, name="withdraw_consent"),
    path("research-export/", exports.research_export, name="research_export"),
    path("refi-qda/", refi_qda.refi_qda, name="refi_qda"),
    path("refi-qda/codebook.qdc", refi_qda.refi_qda_codebook, name="refi_qda_codebook"),
    path("refi-qda/project.qdpx", refi_qda.refi_qda_project, name="refi_qda_project"),
    path("matrix/", matrix.framework_matrix, name="framework_matrix"),
    path("matrix/download/", matrix.matrix_download, name="matrix_download"),
    path("matrix/<int:respondent_id>/<int:theme_id>/", matrix.matrix_cell, name="matrix_cell"),
    path("documents/", qualitative.documents, name="documents"),
    path("documents/gather/", qualitative.gather_open_text, name="gather_open_text"),
    path("documents/<int:document_id>/", qualitative.document, name="document"),
    path("documents/<int:document_id>/agreement/", qualitative.agreement, name="agreement"),
    path("documents/<int:document_id>/code/", qualitative.code_passage, name="code_passage"),
    path("codings/<int:coding_id>/remove/", qualitative.remove_coding, name="remove_coding"),
    path("codebook/", qualitative.codebook, name="codebook"),
    path("codebook/<int:theme_id>/", qualitative.change_theme, name="change_theme"),
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
