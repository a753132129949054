def test_world_builds(world):
    # then
    assert world.users["institution_clerk"].institution == world.institution_a
