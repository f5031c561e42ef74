"""Splink on the files of `vangnet-bench linkage`, for the ratio of each figure (`--splink`).

A standard model as Splink's documentation builds it for FEBRL: name, date and exact comparisons,
u by random sampling, m by EM in sessions blocked on the birth date and on the names, predictions
from the union of blocking rules at a match probability of 0.5, then the same greedy one-to-one
as `vangnet link --one-to-one`. Prints one JSON line: links, seconds, peak memory in MB.
"""
import json
import resource
import sys
import time

import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

path_a, path_b, out = sys.argv[1], sys.argv[2], sys.argv[3]
start = time.time()
columns = ["rec_id", "insz", "given_name", "surname", "sex", "date_of_birth", "street", "house_number", "postcode", "city"]
frames = []
for path in (path_a, path_b):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)[columns]
    frame = frame.replace("", None)
    frame["insz"] = frame["insz"].str.replace(r"\D", "", regex=True)
    frame = frame.rename(columns={"rec_id": "unique_id"})
    frames.append(frame)

settings = SettingsCreator(
    link_type="link_only",
    blocking_rules_to_generate_predictions=[
        block_on("insz"),
        block_on("date_of_birth", "substr(surname, 1, 2)"),
        block_on("date_of_birth", "substr(given_name, 1, 2)"),
        block_on("given_name", "surname"),
        block_on("postcode", "street", "house_number"),
        block_on("surname", "postcode"),
    ],
    comparisons=[
        cl.ExactMatch("insz").configure(term_frequency_adjustments=False),
        cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
        cl.ExactMatch("sex"),
        cl.LevenshteinAtThresholds("street", 2),
        cl.ExactMatch("house_number"),
        cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        cl.ExactMatch("city"),
    ],
    retain_intermediate_calculation_columns=False,
    retain_matching_columns=False,
)
db_api = DuckDBAPI()
tables = [db_api.register(frame, dataset_display_name=name) for frame, name in zip(frames, ["a", "b"])]
linker = Linker(tables, settings)
linker.training.estimate_probability_two_random_records_match([block_on("insz")], recall=0.9)
linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "surname"))
predictions = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
predictions = predictions.sort_values("match_probability", ascending=False)
used_a, used_b, kept = set(), set(), []
for row in predictions.itertuples():
    a, b = (row.unique_id_l, row.unique_id_r) if row.source_dataset_l == "a" else (row.unique_id_r, row.unique_id_l)
    if a in used_a or b in used_b:
        continue
    used_a.add(a)
    used_b.add(b)
    kept.append((a, b, row.match_probability))
with open(out, "w") as handle:
    handle.write("rec_id_a,rec_id_b,match_probability\n")
    for a, b, p in kept:
        handle.write(f"{a},{b},{p:.6f}\n")
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"links": len(kept), "seconds": time.time() - start, "peak_mb": peak}))
