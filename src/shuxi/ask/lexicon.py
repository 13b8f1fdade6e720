"""The built-in planner's small bilingual lexicon: column synonyms and the words that signal an analysis.

Everything here is data. Phrases are written as people type them; :mod:`shuxi.ask.text` normalises both
sides the same way (lower case, English plurals folded, full-width to half-width) before matching.
"""

from __future__ import annotations

#: Groups of words that name the same kind of column. A column whose name is one of a group's words can be
#: called by any word of the group ("销量" also answers to 销售量, 数量, quantity, units sold…).
COLUMN_SYNONYMS: list[list[str]] = [
    ["销量", "销售量", "数量", "件数", "销售数量", "卖了多少", "quantity", "qty", "units", "units sold", "sales volume", "sales", "volume"],
    ["销售额", "营收", "收入", "营业额", "销售金额", "金额", "成交额", "revenue", "sales amount", "turnover", "income", "amount", "gmv", "order value"],
    ["价格", "单价", "售价", "价钱", "定价", "price", "unit price", "cost per unit", "cost", "priced"],
    ["地区", "区域", "大区", "地域", "region", "area", "zone"],
    ["城市", "city", "town"],
    ["省份", "省", "province", "state"],
    ["国家", "country", "nation"],
    ["产品", "商品", "产品名称", "商品名称", "货品", "product", "item", "product name", "goods"],
    ["类别", "品类", "类目", "分类", "种类", "category", "type", "kind", "class"],
    ["日期", "时间", "下单日期", "订单日期", "下单时间", "date", "order date", "time", "day"],
    ["客户", "顾客", "用户", "customer", "client", "buyer"],
    ["客户类型", "客户类别", "customer type", "customer segment", "segment"],
    ["渠道", "销售渠道", "channel", "sales channel"],
    ["折扣", "折扣率", "优惠", "discount", "discount rate"],
    ["利润", "毛利", "profit", "margin"],
    ["成本", "cost price"],
    ["评分", "评级", "星级", "打分", "rating", "score", "stars"],
    ["评论", "评价", "review", "comment", "feedback"],
    ["年龄", "age"],
    ["weight", "weighed", "weighs", "weigh", "weighing"],
    ["性别", "gender", "sex"],
    ["姓名", "名字", "名称", "name"],
    ["年份", "年", "year", "season"],
    ["是否退货", "退货", "returned", "return", "is returned"],
    ["订单号", "订单编号", "订单id", "order id", "order number", "order no"],
    ["员工", "employee", "staff"],
    ["部门", "department", "dept"],
    ["工资", "薪资", "薪水", "salary", "wage", "pay"],
    ["人口", "population", "people", "inhabitants", "residents"],
    ["困惑度", "perplexity", "ppl"],
    ["标签", "预测标签", "类别标签", "label", "predicted label"],
    ["面积", "area size", "size"],
]

#: Words that point at an aggregate; the planner looks for the nearest one before a measure.
AGGREGATE_WORDS: dict[str, list[str]] = {
    "mean": ["平均", "平均值", "均值", "平均数", "人均", "average", "mean", "avg", "typical"],
    "sum": ["总", "总和", "合计", "总计", "总共", "一共", "累计", "加起来", "总量", "total", "sum", "combined", "altogether", "overall"],
    "median": ["中位数", "中值", "median"],
    "max": ["最大", "最大值", "最高", "最多", "最贵", "峰值", "maximum", "max", "highest", "largest", "biggest", "greatest", "most", "peak", "top"],
    "min": ["最小", "最小值", "最低", "最少", "最便宜", "minimum", "min", "lowest", "smallest", "least", "fewest", "cheapest"],
    "std": ["标准差", "standard deviation", "std", "stdev", "stddev"],
    "var": ["方差", "variance", "var"],
    "count_distinct": ["多少种", "几种", "多少个不同", "不同的", "distinct", "unique", "different"],
    "count": ["多少个", "几个", "多少条", "多少笔", "多少行", "多少次", "多少家", "多少人", "多少单", "几次", "几笔", "几条", "几家",
              "个数", "次数", "笔数", "行数", "记录数", "订单数", "计数", "数目", "how many", "number of", "count", "how often"],
}

#: Words that mean "highest"/"lowest" when choosing a row or group rather than computing an aggregate.
HIGH_WORDS = ["最高", "最大", "最多", "最贵", "最好", "最快", "最长", "最强", "排名第一", "第一名", "highest", "largest", "biggest",
              "greatest", "most", "top", "best", "maximum", "max", "longest", "fastest", "oldest", "latest", "heaviest", "tallest"]
LOW_WORDS = ["最低", "最小", "最少", "最便宜", "最差", "最短", "最慢", "倒数第一", "lowest", "smallest", "least", "fewest",
             "cheapest", "worst", "minimum", "min", "shortest", "slowest", "youngest", "earliest", "lightest", "bottom"]

GROUP_WORDS = ["各", "每个", "每一个", "每", "按", "按照", "分别", "各个", "by", "per", "each", "every", "for each",
               "across", "breakdown", "broken down by", "grouped by", "group by"]
SHARE_WORDS = ["占比", "比例", "百分比", "份额", "比重", "所占", "占总", "share", "percentage", "percent of", "proportion",
               "fraction", "% of"]
TREND_WORDS = ["趋势", "走势", "变化", "逐月", "逐年", "月度", "年度", "随时间", "trend", "over time", "over the years", "evolve",
               "evolution", "change over"]
GRAIN_WORDS: dict[str, list[str]] = {
    "year": ["每年", "按年", "各年", "逐年", "年度", "每一年", "yearly", "annually", "annual", "by year", "per year", "each year",
             "every year"],
    "quarter": ["每季度", "按季度", "各季度", "每个季度", "季度", "quarterly", "by quarter", "per quarter", "each quarter"],
    "month": ["每月", "按月", "各月", "每个月", "逐月", "月度", "月份", "monthly", "by month", "per month", "each month",
              "every month", "month by month"],
    "week": ["每周", "按周", "每星期", "周度", "weekly", "by week", "per week", "each week"],
    "day": ["每天", "按天", "每日", "逐日", "日度", "daily", "by day", "per day", "each day", "every day"],
}
CORRELATE_WORDS = ["相关", "相关性", "相关系数", "关系", "关联", "correlation", "correlate", "correlated", "relationship",
                   "related", "association", "associated", "relate"]
SPEARMAN_WORDS = ["spearman", "斯皮尔曼", "秩相关", "等级相关", "rank correlation"]
DRIVER_WORDS = ["影响因素", "驱动因素", "驱动", "影响", "决定", "因素", "drives", "drive", "driver", "drivers", "affects",
                "affect", "influence", "influences", "factors", "determines", "explains"]
DISTRIBUTION_WORDS = ["分布", "分位数", "四分位", "直方图", "分布情况", "distribution", "distributed", "quantile", "quantiles",
                      "quartile", "quartiles", "percentile", "percentiles", "histogram", "spread"]
COMPARE_WORDS = ["比较", "对比", "相比", "差异", "区别", "差别", "compare", "comparison", "versus", "vs", "differ",
                 "difference between", "compared"]
TIER_WORDS = ["档", "档次", "分档", "等级", "层级", "级别", "tier", "tiers", "bucket", "buckets", "band", "bands", "bin",
              "bins", "bracket", "brackets", "level", "levels"]
RANK_WORDS = ["排名", "排序", "排行", "rank", "ranking", "sort", "sorted", "order by"]
LIST_WORDS = ["列出", "列举", "显示", "哪些", "有哪些", "list", "show", "which", "what are"]

#: Comparison words, to attach a number to the column it limits.
GREATER_WORDS = ["大于等于", "不低于", "不少于", "至少", "以上", "大于", "高于", "超过", "多于", "超出", ">=", ">",
                 "greater than or equal to", "at least", "no less than", "or more", "greater than", "more than",
                 "higher than", "larger than", "bigger than", "over", "above", "exceeds", "exceeding", "exceed",
                 "taller than", "older than", "heavier than"]
LESS_WORDS = ["小于等于", "不高于", "不超过", "至多", "以下", "小于", "低于", "少于", "不到", "不足", "<=", "<",
              "less than or equal to", "at most", "no more than", "or less", "or fewer", "less than", "fewer than",
              "lower than", "smaller than", "under", "below", "younger than", "lighter than"]
INCLUSIVE_WORDS = {"大于等于", "不低于", "不少于", "至少", "以上", ">=", "greater than or equal to", "at least", "no less than",
                   "or more", "小于等于", "不高于", "不超过", "至多", "以下", "<=", "less than or equal to", "at most",
                   "no more than", "or less", "or fewer"}
#: Words written after the number ("1000以上", "5 or more").
POSTFIX_COMPARISONS = {"以上", "以下", "or more", "or less", "or fewer"}
EQUAL_WORDS = ["等于", "是", "为", "equal to", "equals", "=", "exactly", "of exactly"]
BETWEEN_WORDS = ["之间", "介于", "between", "from"]
NEGATION_WORDS = ["不是", "不包括", "不含", "除了", "除外", "排除", "以外", "非", "不在", "not", "except", "excluding",
                  "other than", "apart from", "aside from", "besides", "without", "exclude", "isn't", "aren't", "wasn't", "weren't"]
CONTAINS_WORDS = ["包含", "含有", "带有", "里带", "中带", "带", "含", "contains", "containing", "contain", "includes", "including", "like"]
NULL_WORDS = ["为空", "缺失", "空值", "没有填", "missing", "null", "empty", "blank"]

#: "Which …" openers: the answer is an entity (a group or a row label), not a number.
WHICH_WORDS = ["哪个", "哪些", "哪一个", "哪家", "哪位", "哪", "谁", "which", "who", "whom"]
HOW_MUCH_WORDS = ["多少", "几", "是多少", "how much", "how many", "what is the", "what was the", "what's the"]

#: Columns whose values do not add up (a total price means nothing): they are averaged when no aggregate is named.
NON_ADDITIVE_HINTS = ["价格", "单价", "售价", "折扣", "率", "比例", "评分", "年龄", "温度", "分数", "price", "rate", "ratio",
                      "percent", "pct", "%", "discount", "rating", "score", "age", "temperature", "avg", "average",
                      "mean", "margin", "rank", "year", "latitude", "longitude"]

#: Years compared in time: "before 1978", "after 2000", "since 1990", "2000年以前".
BEFORE_WORDS = ["before", "prior to", "previous to", "earlier than", "until", "till", "pre", "以前", "之前", "早于"]
AFTER_WORDS = ["after", "later than", "since", "post", "从", "自", "以后", "之后", "晚于"]
RATE_WORDS = ["率", "比率", "比例", "占比", "rate", "ratio", "percentage", "share", "proportion"]

#: What people call a country in a question, and how tables write it: the name, its IOC/FIFA code and other names
#: ("kenyan" → Kenya, KEN; "the us" → United States, USA). A word links to the first of these the table holds.
COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "Afghanistan": ("afghan",), "Albania": ("albanian",), "Algeria": ("algerian",), "Argentina": ("argentine", "argentinian"),
    "Armenia": ("armenian",), "Australia": ("australian", "aussie"), "Austria": ("austrian",),
    "Belarus": ("belarusian",), "Belgium": ("belgian",), "Bolivia": ("bolivian",), "Brazil": ("brazilian",),
    "Bulgaria": ("bulgarian",), "Cameroon": ("cameroonian",), "Canada": ("canadian",), "Chile": ("chilean",),
    "China": ("chinese", "prc"), "Colombia": ("colombian",), "Croatia": ("croatian", "croat"), "Cuba": ("cuban",),
    "Czech Republic": ("czech", "czechia"), "Denmark": ("danish", "dane"), "Ecuador": ("ecuadorian",),
    "Egypt": ("egyptian",), "England": ("english",), "Estonia": ("estonian",), "Ethiopia": ("ethiopian",),
    "Finland": ("finnish", "finn"), "France": ("french",), "Georgia": ("georgian",), "Germany": ("german",),
    "Ghana": ("ghanaian",), "Greece": ("greek",), "Hungary": ("hungarian",), "Iceland": ("icelandic",),
    "India": ("indian",), "Indonesia": ("indonesian",), "Iran": ("iranian",), "Iraq": ("iraqi",),
    "Ireland": ("irish",), "Israel": ("israeli",), "Italy": ("italian",), "Jamaica": ("jamaican",),
    "Japan": ("japanese",), "Kazakhstan": ("kazakh", "kazakhstani"), "Kenya": ("kenyan",),
    "Latvia": ("latvian",), "Lithuania": ("lithuanian",), "Malaysia": ("malaysian",), "Mexico": ("mexican",),
    "Morocco": ("moroccan",), "Netherlands": ("dutch", "holland", "the netherlands"), "New Zealand": ("new zealander", "kiwi"),
    "Nigeria": ("nigerian",), "North Korea": ("north korean",), "Norway": ("norwegian",), "Pakistan": ("pakistani",),
    "Paraguay": ("paraguayan",), "Peru": ("peruvian",), "Philippines": ("filipino", "philippine"),
    "Poland": ("polish", "pole"), "Portugal": ("portuguese",), "Romania": ("romanian",), "Russia": ("russian",),
    "Scotland": ("scottish", "scot"), "Serbia": ("serbian",), "Slovakia": ("slovak", "slovakian"),
    "Slovenia": ("slovenian", "slovene"), "South Africa": ("south african",), "South Korea": ("south korean", "korean"),
    "Soviet Union": ("soviet", "ussr"), "Spain": ("spanish", "spaniard"), "Sweden": ("swedish", "swede"),
    "Switzerland": ("swiss",), "Thailand": ("thai",), "Trinidad and Tobago": ("trinidadian",), "Tunisia": ("tunisian",),
    "Turkey": ("turkish",), "Ukraine": ("ukrainian",), "United Kingdom": ("uk", "u.k.", "britain", "british"),
    "United States": ("us", "u.s.", "usa", "u.s.a.", "america", "american", "the states"), "Uruguay": ("uruguayan",),
    "Venezuela": ("venezuelan",), "Vietnam": ("vietnamese",), "Wales": ("welsh",), "West Germany": ("west german",),
    "Yugoslavia": ("yugoslav", "yugoslavian"), "Zimbabwe": ("zimbabwean",),
}
#: Codes and other spellings tables use for a country, tried after its name.
COUNTRY_CODES: dict[str, tuple[str, ...]] = {
    "Afghanistan": ("AFG",), "Algeria": ("ALG",), "Argentina": ("ARG",), "Australia": ("AUS",), "Austria": ("AUT",),
    "Belarus": ("BLR",), "Belgium": ("BEL",), "Brazil": ("BRA",), "Bulgaria": ("BUL",), "Canada": ("CAN",),
    "Chile": ("CHI",), "China": ("CHN", "People's Republic of China"), "Colombia": ("COL",), "Croatia": ("CRO",),
    "Cuba": ("CUB",), "Czech Republic": ("CZE",), "Denmark": ("DEN",), "Egypt": ("EGY",), "England": ("ENG",),
    "Estonia": ("EST",), "Ethiopia": ("ETH",), "Finland": ("FIN",), "France": ("FRA",), "Germany": ("GER",),
    "Greece": ("GRE",), "Hungary": ("HUN",), "India": ("IND",), "Iran": ("IRI",), "Ireland": ("IRL",), "Israel": ("ISR",),
    "Italy": ("ITA",), "Jamaica": ("JAM",), "Japan": ("JPN",), "Kazakhstan": ("KAZ",), "Kenya": ("KEN",),
    "Latvia": ("LAT",), "Lithuania": ("LTU",), "Mexico": ("MEX",), "Morocco": ("MAR",), "Netherlands": ("NED",),
    "New Zealand": ("NZL",), "Nigeria": ("NGR",), "Norway": ("NOR",), "Poland": ("POL",), "Portugal": ("POR",),
    "Romania": ("ROU", "ROM"), "Russia": ("RUS",), "Scotland": ("SCO",), "Serbia": ("SRB",), "Slovakia": ("SVK",),
    "Slovenia": ("SLO",), "South Africa": ("RSA",), "South Korea": ("KOR",), "Soviet Union": ("URS",),
    "Spain": ("ESP",), "Sweden": ("SWE",), "Switzerland": ("SUI",), "Thailand": ("THA",), "Turkey": ("TUR",),
    "Ukraine": ("UKR",), "United Kingdom": ("GBR", "Great Britain", "UK"), "United States": ("USA", "United States of America", "U.S."),
    "Uruguay": ("URU",), "Venezuela": ("VEN",), "Wales": ("WAL",), "West Germany": ("FRG",),
    "Yugoslavia": ("YUG",), "Zimbabwe": ("ZIM",),
}

#: Roles that tables write as short codes, and the codes (a party column "Dem"/"Rep", a position column "QB",
#: "GK"): "how many senators are democrats?" finds the "Dem" cells, "how many quarterbacks were drafted?" "QB".
ROLE_CODES: dict[str, tuple[str, ...]] = {
    "democrat": ("Dem", "D", "DEM"), "democratic": ("Dem", "D", "DEM"), "republican": ("Rep", "R", "REP"),
    "quarterback": ("QB",), "running back": ("RB",), "wide receiver": ("WR",), "tight end": ("TE",),
    "linebacker": ("LB",), "cornerback": ("CB",), "defensive end": ("DE",), "defensive tackle": ("DT",),
    "offensive tackle": ("OT",), "kicker": ("K", "PK"), "punter": ("P",), "pitcher": ("P",), "catcher": ("C",),
    "shortstop": ("SS",), "outfielder": ("OF",), "goalkeeper": ("GK", "G"), "goalie": ("G", "GK"),
    "goaltender": ("G", "GK"), "defender": ("DF", "D"), "defenseman": ("D",), "defenceman": ("D",),
    "midfielder": ("MF", "M"), "forward": ("FW", "F"), "striker": ("FW", "ST"), "center": ("C",),
    "centre": ("C",),
}

#: Sentiment labels as analysts say them and as label columns write them (a column that `shuxi text predict` filled
#: with neg/pos, 负面/正面 or 差评/好评): "各地区差评占比" finds the negative cells of a label column whatever its
#: spelling. A column counts as such only when every cell is one of these words or a neutral one.
POLARITY: dict[str, tuple[str, ...]] = {
    "negative": ("差评", "负面", "负评", "恶评", "消极", "负向", "negative", "neg", "bad"),
    "positive": ("好评", "正面", "正评", "积极", "正向", "positive", "pos", "good"),
}
NEUTRAL_LABELS = ("中评", "中性", "中立", "neutral", "neu", "mixed")
#: Words that only ever mean reviews of one polarity ("差评有多少"; "how many negative reviews"). Said about a table
#: with no column for them, the question cannot be answered as asked, and is refused rather than answered without
#: the word (the row count of all reviews).
REVIEW_WORDS = ("差评", "好评", "负评", "恶评", "正评")
REVIEW_PHRASES_EN = r"\b(?:negative|positive|bad|good)\s+(?:reviews?|comments?|feedback|ratings?)\b"

#: What a race did not come to, as results tables write it: "how many drivers did not finish?" counts the "Ret" or
#: "DNF" cells. Each pattern (a regular expression over the question) → the cells that say it, most usual first.
OUTCOME_CODES: dict[str, tuple[str, ...]] = {
    r"\b(?:did not|didn't|did n't|failed to|not)\s+finish(?:ed)?\b": ("DNF", "Ret", "Ret.", "Retired", "Did not finish"),
    r"\b(?:did not|didn't|did n't|failed to|not)\s+start(?:ed)?\b": ("DNS", "Did not start"),
    r"\b(?:did not|didn't|did n't|failed to|not)\s+qualif(?:y|ied)\b": ("DNQ", "Did not qualify"),
    r"\bdisqualified\b": ("DSQ", "DQ", "Disqualified"),
}
