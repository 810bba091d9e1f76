from familyfeedback.implementation.training import Attended, by_role, trained


def test_parts_one_and_two_or_a_mop_up_make_someone_trained():
    register = [
        Attended("both", "part_1", True), Attended("both", "part_2", True),
        Attended("one", "part_1", True), Attended("one", "part_2", False),
        Attended("mopped", "part_1", False), Attended("mopped", "mop_up", True),
        Attended("mixed", "part_2", True), Attended("mixed", "part_1", True),
        Attended("absent", "mop_up", False),
    ]
    assert trained(register) == {"both", "mopped", "mixed"}


def test_table_3_2_counts_by_role_in_a_fixed_order():
    practitioners = [("a", "fsw"), ("b", "fsw"), ("c", "senior_fsw"), ("d", "senior_fsw"),
                     ("e", "senior_practitioner")]
    assert by_role(practitioners, trained_people={"a", "c", "d", "e"}, users={"a", "b", "e"}) == [
        {"role": "senior_fsw", "practitioners": 2, "attended": 2, "used_tools": 0},
        {"role": "fsw", "practitioners": 2, "attended": 1, "used_tools": 2},
        {"role": "senior_practitioner", "practitioners": 1, "attended": 1, "used_tools": 1},
    ]
