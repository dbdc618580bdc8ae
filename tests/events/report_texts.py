"""Report openings and endings the events tests put a sentence under test between: a report with
an incident of its own, and one with none, so only the sentence under test could make one."""

LEDE = ("A Russian missile strike on a residential block in Kharkiv killed four people on Tuesday, the regional "
        "governor said. ")
AFTER = " Rescuers were still searching the rubble on Wednesday. Schools in the city stayed closed."

QUIET_AFTER = (" Schools in the region stayed closed. The governor urged residents to leave. Trains left the city every "
               "day this week. Aid deliveries resumed. Power was restored to most homes. Shops reopened.")
