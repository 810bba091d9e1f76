"""The pilot report's research questions and the methods that answer each (its Table 3.4): the
default for a new trial, editable afterwards."""

FEASIBILITY = "Evidence of feasibility"
PROMISE = "Evidence of promise"
READINESS = "Readiness for trial"
INTERVIEWS = ["Interviews with practitioners", "Interviews with managers"]

DEFAULTS = [
    ("1.1", FEASIBILITY, "Fidelity and adaptation: How was the approach delivered, was it "
     "delivered as intended and what variation was there in delivery across teams?",
     ["Observation of training", *INTERVIEWS, "Admin data", "Outcomes data"]),
    ("1.2", FEASIBILITY, "Differentiation: How is the approach similar to or different from "
     "business as usual?", INTERVIEWS),
    ("1.3", FEASIBILITY, "Barriers and facilitators: What are the barriers and facilitators to "
     "the delivery of the training and use of the tools?", INTERVIEWS),
    ("1.4", FEASIBILITY, "Reach: What is the practitioner and family reach?", ["Admin data"]),
    ("1.5", FEASIBILITY, "Participant responsiveness: Are practitioners engaged during "
     "training? Are practitioners and families engaged during the implementation of the tools? "
     "What do practitioners and families like and dislike about the approach?",
     ["Observation of training", *INTERVIEWS]),
    ("1.6", FEASIBILITY, "Acceptability: Is the approach acceptable to practitioners and "
     "families?", INTERVIEWS),
    ("2.1", PROMISE, "What potential impacts of the intervention does implementation of the "
     "approach lead to for practitioners and families?",
     [*INTERVIEWS, "Baseline and endline survey data", "Post-training survey", "Outcomes data"]),
    ("2.2", PROMISE, "Do there appear to be any unintended consequences or negative effects?",
     [*INTERVIEWS, "Baseline and endline survey data", "Post-training survey", "Outcomes data"]),
    ("3.1", READINESS, "Is there a clear description of the intervention and the contextual "
     "facilitators and barriers that would allow it to be implemented and evaluated in other "
     "places?", ["Observation of training", *INTERVIEWS, "Admin data", "Outcomes data"]),
    ("3.2", READINESS, "Is the intervention able to be delivered consistently across teams?",
     [*INTERVIEWS, "Admin data"]),
    ("3.3", READINESS, "Are any changes needed to the theory, materials or procedures before "
     "roll-out?", ["Observation of training", "Baseline and endline survey",
                   "Post-training survey", *INTERVIEWS, "Admin data"]),
    ("3.4", READINESS, "How acceptable is it for practitioners to take part in evaluation "
     "activities?", [*INTERVIEWS, "Endline survey"]),
    ("3.5", READINESS, "What are the enablers and barriers to evaluation?",
     [*INTERVIEWS, "Endline survey"]),
    ("3.6", READINESS, "What is the recommended approach for further evaluation (such as "
     "randomisation procedure, outcome measures, and so on)?",
     ["Synthesis of research findings"]),
]
