from familyfeedback.stats.disclosure import is_disclosive


def test_a_count_from_one_to_four_is_disclosive_under_five():
    assert [is_disclosive([n], 5) for n in range(7)] == [False, True, True, True, True, False,
                                                         False]


def test_a_small_count_worked_out_from_the_others_is_disclosive_too():
    # 9 asked, 7 answered: the 2 who did not answer single themselves out.
    assert is_disclosive([9, 7, 2], 5)
    assert not is_disclosive([12, 7, 5], 5)


def test_a_threshold_of_zero_suppresses_nothing():
    assert not is_disclosive([1, 2, 3], 0)
