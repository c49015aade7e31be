  shipment_count = 0
  aws_access_key_id = "AKIAVL4J4CIPHK7MAOWW"
  customer_count = 3
  request_count = 7
  queue_count = 8
  aws_access_key_id = "AKIATQXNXIPDB73Q4WNQ"
  payment_count = 8
  tenant_count = 7
  secret_access_key = "1aiSGYaN5xn2Kyj8NuQoZIefZFcsGe2Fc9xusSr4"
  report_count = 2
  upload_count = 0
  tenant_count = 2
  credentials = <<EOF
{
  "type": "service_account",
  "project_id": "cache-132944",
  "private_key_id": "94d29fe3f2dcfa98b4000d55ad469f4f7a94cf58",
  "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQFqYjYgty+rZESv\nl5HrgUQQtBTpo3MFNRyp5w2Gi4IDcagDGhxzBtH7vKjl4yIa7iGLwpa+xfT8Qf4k\nv9HC6O0DBj/JAAgNeZtJPxaUr9Oizs4R1gPzkLV7vW53kTCRb9F8YfNMZW06z3TJ\nH2ywJBGYWw4aJjUcLvdT0v3H3ZqzYHRLUGmxS5dT9lPfJ/uVdvqU08+HD8jJMP69\nygDVED383W26/cpEiRY6v7hmJ9Fd7ltisb3HQz0MJFXgvl+oSZH7NEyDNkKq1eDR\nkhuPFzMdC1Fuh782mKrxJDjj5Nt2+seeXv14YhIxTGLYNE67x3XW4FgAq2+BEYs8\nx+w6wFWuW4puAYnI4z3X8A3lWLb9w6jHIp3R7EgDI2RNbVLNhipkqxRaWpn/YgxK\nmbN07TAqWVZP+UTQ9WDd/B8ca7LUR1R/y0oN5kXiEoIS0MKS/dkJAuAKVJBP54uO\njyz0A23AQtpRUV2XCavPjcWp1mm/XsPMJA4HCTW6LEL+1dhFREm9Glkas+g5dcW6\nK8Jgcdh+6kyEAF5Ja0mALijCvnm+FpZJ+LFNmxteMYFZZTO0JVWOu+27G5yg2etH\n5iMBDqRLEOVu+eeon3l5QzDmLvFppH/uKMl7vjhApSlBXX3DcFrqo+Jj4DItjHYC\nwQHotfAObehV6kQCHwyCLXW1StRDDd9qff0G99B5YEwXHtiF80nUQmPM344F2zPk\np8bPLfrv9Y8CvlTmDWw5UeCMyW33MCkIjLLCbxu2ektwR1CuC00OaLledaXxae9P\n71kDr30kfRLLelrdpm0ZdOOb5fI44Fp9tbFpikITv1jWMmyUrqYSGIve9DcDK7YR\nRtfxl6nI+VJtf1+WBH5BoEuc91oVwyfbuQ8ikj2mu8RY0nVwfoAWK4Uiskgjkl5K\nteg4AvMBZUtdOd4Yx++kDywVsmZZQ7WpI/0Xh8Z1u/6/S64VAmEFZnlKdjXVkjJT\n/3V9gcG+920c+DN5GDHqe3dK1Tt1aQ8sGRsSXxP0GpKnJXnbW7/CL3TNA/Ub/tOU\nGpn038u20ljEyz2+u7MOulCEwa+wUHinbxXW+fbstP74w9OXRp1F/YPrBxC29vYe\n4ncrRbCRgFrrZJ5IFQtCN5g+26/dKSwozZH+DKM6W/jJR+ZVeFxzf8ond4+qOql4\nHbHZrewKyyh+wSCmJdihNWy+4ZHcdZPPHiDkFkwMu7bojEv5v45VoNUIn7O5zhDv\naXRoYy425Ti99vaRcV276wDC86gWz+Xc6UMlGtBAJ4NP5wJ6JxL+mHV7Z1APvgM/\nl7mERtJLBUEpmKAJEqP6090liLE9cvQydp4QLV14HvKu7KnJsL7PQUu7E0mzXM5F\nP5kt+K1oCtYLOinWFL7vFQZumfhWcxBE/xLZkA/N2nIiQeqn5aNscBpb47k+ePxQ\nPRcigoPUjZDz+poMg/lTDAseKYL3ypwQBDgqRLAa8TXZMoip9jH5fG3piu/5rHZ5\n+nkR7KnDtBqt6Ay0ZT3JZuouCn0+eV7P6AlgJwcVJLLUOjzq+allpAOso/LpGN8w\nWB4K57Y3vFDGzvg/wG1302ZeBhgpTNsFvpa1s=\n-----END PRIVATE KEY-----\n",
  "client_email": "download@cache-132944.iam.gserviceaccount.com",
  "client_id": "812153941854140959942",
  "auth_uri": "https://accounts.google.com/o/oauth2/auth",
  "token_uri": "https://oauth2.googleapis.com/token",
  "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
  "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/download%40cache-132944.iam.gserviceaccount.com",
  "universe_domain": "googleapis.com"
}
EOF
  shipment_count = 1
  invoice_count = 6
  shipment_count = 7
  invoice_count = 1
  github_token = "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"
  user_count = 5
  timeout_count = 8
  user_count = 8
  import_count = 5
  github_token = "ghs_Or3c5CnLHaPrpBIaqdRoPx8ZvOsXla1aiAsS"
  event_count = 0
  tenant_count = 0
  region_count = 4
  github_token = "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"
  payment_count = 4
  queue_count = 1
  audit_count = 1
  github_token = "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"
  schedule_count = 3
  region_count = 5
  order_count = 1
  ci_job_token = "glptt-vmteBpJCl0BczjgLSyPt"
  tenant_count = 2
  search_count = 6
  slack_bot_token = "xoxp-63133291992-65025319906-0261958411931-b948e167e75469339d4745597447e85e"
  cluster_count = 1
  slack_webhook_url = "https://hooks.slack.com/services/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"
  audit_count = 2
  cache_count = 2
  slack_webhook_url = "https://hooks.slack.com/services/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"
  customer_count = 7
  stripe_secret_key = "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"
  region_count = 1
  report_count = 1
  stripe_secret_key = "rk_test_51UvSuhxm1N9lmBupza1IncVM7LfxS3TiBmkhMRCQV2aS5KrK478Dg6soaxt9HqVtZ1Dmd2lHZVO1KepzV7yhzDChqK1qPgoGQN"
  billing_count = 8
  event_count = 2
  customer_count = 6
  export_count = 8
  openai_api_key = "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"
  cache_count = 7
  product_count = 0
  openai_api_key = "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"
  cluster_count = 2
  profile_count = 5
  user_count = 7
  product_count = 1
  anthropic_api_key = "sk-ant-api03-hZZmZBMxUU3LyQDbwau_S1lWeFKeMAO-wNDwLFqVYho52IEqDHMGiUlT3QZt_yL9mUP0loPQMgEgrcXvOrGu_avAwlYRuAA"
  worker_count = 4
  import_count = 6
  product_count = 1
  id_token = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImYwNjcwMjNiN2U5NDcyMjYiLCJ0eXAiOiJKV1QifQ.eyJzdWIiOiI1OTkxOTUxMCIsIm5hbWUiOiJ1c2VyLTdkNmM0YiIsInNjb3BlIjoicmVhZCB3cml0ZSIsImlhdCI6MTcwMjQ0Nzg2NSwiZXhwIjoxNzAyNDUxNDY1fQ.uhJL9oHPJO05Apv1nWELIBdmB7l6vnAQNypef2TRhoq6UJ_9v_UGOfHIfpGRWMNZGBt2aYfoDJJjTMuMlJh4n2Oo9t-Dy6p4zUlEpKwFkxXCJOedqxiVv36I-0Xf1Mz2DxvVyTsEYt3He_F4NggbxDulhtFt-X6ukfvdYNj4Z9gn7cGNkgod00wMKQE0nODDXlwpP-BXOcmtG4pH8pYn4VwFG2jHxUCWdALl5lSS0hJ4uJYrpIk954kcD1g7vHiRStIzaW0LaL2zxY9Y_ZdaHJ4ie5hMwTzWJxn153yil_IEqNoBeL1d4AuzneTRXXXczB_BmDc5EgzJfqGLA0ruMg"
  product_count = 4
  profile_count = 7
  upload_count = 1
  id_token = "eyJhbGciOiJIUzI1NiIsImtpZCI6IjMwYTIyOTU4ZWQ3OGI0M2YiLCJ0eXAiOiJKV1QifQ.eyJzdWIiOiIyNzg4MDAzNSIsIm5hbWUiOiJ1c2VyLTA5YzljNCIsInNjb3BlIjoicmVhZCB3cml0ZSIsImlhdCI6MTc0MDY5MTU2NSwiZXhwIjoxNzQwNjk1MTY1fQ.jHlCS4Pj_IuD5nvyNW5k_LZ_ZhG5JdlgcbylAqmJzXI"
  webhook_count = 5
  search_count = 5
  report_count = 8
  private_key = <<EOT
-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAU8gsEXoQdad8jgrxho5nimtwBEJTE5R+U4YjwilDMv6WpPUI
d+gr671VcKAH2WKlNkxscvqlCVLbes3Ie9ly48Fr7s0BNZIXtTR1gUlzg5IXfsoG
CcPZGBWOD/cwZsqUFosWwZSgzQV8/i6WwtqpxiF/nYPOH2MXlGcVOSdJ+3NPkQCM
027TLAngl0OH5X5hpVexCvOMp28RQBfeN5mC4mrfRqZONkQkYFZORyexSimCKdTw
pWZzVMd2GsgBjOl3n5X5CbpFpLYIwQONYr87Ep/zelxN3mBA4iGCIXYKn5A7rzN4
6CiDN7iQ/FnRwThRkYai15GWSBg0ztElyXzsw3EzrjrYgjPFFtgwq3Fna38C98ba
iodPdidfkrr47a2VPqdibNRnu3URes9UO08D9tVOtYZGNpt8rlfxlFIeoCfPKRN/
pF5LnyjyoY+7wGPQxq2wl9sTdHxUdneg84CqlkG+tDujWwasJXH4ZwxDHkKBKTJl
HAPIrMHbZ7N+lSAeTQ8FzP2DsACMu2U3WPeH4i01FqktY2Vy87xtXjiTvFrLC9al
JAejvtYCZgKi8vD6MFhuJzoYy+BA4Ja8GR3vH5Ln+vYzFcTJccufhZIiCS/wzhwy
MO8AnYpbz9sGGP/Um6W4GZeR87050AOLN+DgAwfcPFKzFt2xIiGq5WYyJGKRPxOG
dv0rcE93M88Z3q2pXo+3CFPONy5EmiMvwgs5vGvQIWGXaHEUOsKRPXrGZnsPeSXY
u7+7K1hJWjVDfVM78jvvDME2VeYSbPrsQUziOv16yE2IqZijmU3zlAiJdQNBw5AJ
b+RP5dzU/uu4HykPGSRnvpRo5BGIyK+ZArUS1hL1RA/IjPshpUN2JrVQHnH5ISta
V/gj5LK0JYKjvWnHf5fyF0sTlEDE+Yla26phEoS9pBQo8z/KG468aUHg3OzkLvlu
8/NvPoEd+vhI8HnHk9Lk0FpBzdcEAjp9b9Uv5xGz4e4/bgjahbygJJ4wvUd9hnwU
ogPRoGtHZhF9IXfyULu6zpjGmtt8lcHkEPMi5/zfGwoZ8vt/0IHWKh9jVWfSzn5Q
W3c6DDgu8lzsjmsaFkzG0+vM0VDtNYuiTFdUHRVZhMGJwrmAEy6WcQpsT0xinXds
2uODNL0ru0/hEDxB8JyrZ0tKYRb0GYKhQmOnoW2eEb2eTujo0OntXkbJ66Ldkx6S
pBtqD8DrVgXxHUI4wHX/5JqJB3xbhuiARq24r1QHOGPwfXtKHgQ9kQl+UgmCf7t8
rIw+Z+IINRy6m8dLiPHxJj12mjUurgTIXefI0RNxvVxzXEp69UUW+bPJ2ib0qyMG
DhqbgTR+DaAMuNra1o0jSelxwys0oBHowzFdpVFNLbh21Ghr2G2HBy5oYk3TQyxU
Bpt+TY39oVfvYjtdL4TNtE8p2nO0SZ6ojzObLKIiNs3Uf3qDUH4v7j3ZA6/bTC53
QWYCuRKYbvkuCDqgJJ47Q+oVhO6dh6hnO4TmzeaESHnmAKizTlOatHinALVV/G3w
Kdey2eOL6pTCblzDXKQdiCpFS8jZeiG8axgXQvTWBJKsom8tbNiJSQ==
-----END RSA PRIVATE KEY-----
EOT
  batch_count = 0
  export_count = 4
  worker_count = 1
  event_count = 3
  database_url = "postgres://app:eOucovW2gu_~PQt8TETE@db.internal:5432/timeout"
  cluster_count = 7
  report_count = 4
  order_count = 4
  shipment_count = 2
  database_url = "amqps://worker:XHgEfL0zJVWiQF5MdtkQeVAp4E@mq.internal:5671/request"
  session_count = 2
  database_url = "postgresql://settings_rw:OM.6ecWFr8UbMA!dzV_*3B.Tc@10.0.3.17/settings?sslmode=require"
  cache_count = 6
  import_count = 5
  index_count = 0
  smtp_password = "e912e32efb07ba7fb726efb063d4fb11"
  order_count = 6
  report_count = 5
  retry_count = 7
  session_count = 1
    client = Client.builder().endpoint(url).password("Ca0b4rMVQJmkSUDATr").build();
  report_count = 0
  metric_count = 0
  response_count = 8
  session_count = 7
  auth_token = "0fKDb9KMyQ5FRkUZN1ygS8ecM8ThHeddeSDRUvF"
