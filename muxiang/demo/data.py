"""The fixed material of the demo data set: the banner's towns and sumu, name pools, businesses.

The county and its ten towns and sumu are real: 乌拉特中旗 (Urad Middle Banner, Bayannur, Inner
Mongolia) and the six 镇 and four 苏木 it administers. Everything below them is synthetic: village and
gacha names are drawn from pools of names common in the Hetao plain and the pastoral north (some may
coincide with real places, but none is placed where it really is), people and businesses are made
up, and the coordinates are rough town centres with villages scattered around them. Town division
codes are left empty because the 9-digit codes could not be confirmed; 12-digit village codes are
never invented.
"""

from dataclasses import dataclass

COUNTY_NAME = "乌拉特中旗"
COUNTY_CODE = "150824"

# The bounding box of plausible points in the banner: every coordinate is clamped into it.
LATITUDE_RANGE = (41.2, 42.3)
LONGITUDE_RANGE = (107.5, 109.5)


@dataclass(frozen=True)
class TownSeed:
    """A town or sumu of the banner: its name, the pinyin initials that prefix its station codes,
    whether its villages are 嘎查 (pastoral) and an approximate centre."""

    name: str
    initials: str
    pastoral: bool
    latitude: float
    longitude: float

    @property
    def village_suffix(self) -> str:
        return "嘎查" if self.name.endswith("苏木") else "村"


TOWNS = (
    TownSeed("海流图镇", "HLT", False, 41.57, 108.52),
    TownSeed("乌加河镇", "WJH", False, 41.27, 108.12),
    TownSeed("德岭山镇", "DLS", False, 41.38, 108.93),
    TownSeed("石哈河镇", "SHH", False, 41.45, 109.22),
    TownSeed("甘其毛都镇", "GQMD", True, 42.05, 108.52),
    TownSeed("温更镇", "WG", True, 41.70, 108.78),
    TownSeed("川井苏木", "CJ", True, 41.88, 107.85),
    TownSeed("新忽热苏木", "XHR", True, 41.80, 109.05),
    TownSeed("呼鲁斯太苏木", "HLST", True, 41.45, 108.00),
    TownSeed("巴音乌兰苏木", "BYWL", True, 42.12, 108.95),
)

# The one town without a town-level station, so that town coverage honestly falls short of 100%.
TOWN_WITHOUT_STATION = "巴音乌兰苏木"

# The station whose manager gets the demo station-manager login.
MANAGER_LOGIN_STATION = "HLT-001"

# Farming villages (村) of the Hetao irrigation plain, without the suffix.
VILLAGE_NAMES = (
    "新丰", "永胜", "红旗", "联丰", "胜利", "团结", "光明", "建设", "丰收", "永丰",
    "友谊", "和平", "东风", "五星", "民主", "富强", "兴隆", "长胜", "新华", "前进",
    "德胜", "复兴", "双河", "三合", "四合", "同义", "永安", "新民", "红星", "庆丰",
    "乐园", "明星", "新胜", "合心", "宏丰", "向阳", "朝阳", "新建", "联合", "公义",
    "保安", "永和", "丰裕", "义和", "同心", "金星", "富民", "兴业", "沙梁", "海子",
    "西滩", "东滩", "南渠", "北渠", "柳树湾", "杨家地", "郝家营", "白家圪旦", "张家圪卜", "乔家营",
    "韩家店", "王家圪旦", "二道桥", "三道湾", "黄土梁", "榆树沟", "红柳滩", "大圪堵", "新光", "永红",
)  # fmt: skip

# Pastoral gacha (嘎查) names, Mongolian place words, without the suffix.
GACHA_NAMES = (
    "巴音宝力格", "乌兰格日勒", "查干淖尔", "阿拉腾敖包", "宝日汗图", "额尔登布拉格", "哈拉图",
    "呼和温都尔", "希热图", "乌力吉图", "查干陶勒盖", "巴彦花", "乌兰呼都格", "宝音图", "呼和陶勒盖",
    "巴音塔拉", "沙日布日都", "哈日朝鲁", "额很乌苏", "乌兰敖包", "巴音满都呼", "伊和乌素", "巴嘎乌素",
    "锡林高勒", "布日嘎斯台", "呼格吉勒图", "乌兰哈达", "哈达图", "乌兰布拉格", "宝力格", "白音查干",
    "乌宁巴图", "查干哈达", "那仁宝力格", "准宝力格", "巴音呼舒", "巴彦乌拉", "额尔很乌拉", "阿尔善",
    "巴音杭盖", "呼和乌苏", "乌兰套海", "阿古拉", "塔林宝力格", "道布图", "查干布拉格", "哈沙图",
    "巴彦敖包", "乌兰淖尔", "图古日格", "格日勒图", "温都日勒图",
)  # fmt: skip

# Han surnames frequent among the Hetao settlers (many families came from Shanxi and Shaanxi).
HAN_SURNAMES = (
    "王", "李", "张", "刘", "赵", "杨", "郭", "高", "马", "贾", "任", "杜", "韩", "侯", "郝",
    "乔", "武", "梁", "白", "田", "薛", "冯", "霍", "闫", "贺", "吕", "苏", "周", "孙", "陈",
)  # fmt: skip
HAN_MALE_GIVEN = (
    "建军", "志强", "海军", "永平", "俊峰", "利军", "文斌", "宏伟", "国庆", "晓东", "鹏飞", "瑞",
    "磊", "勇", "斌", "浩", "宇航", "志刚", "金龙", "亮", "强", "海龙", "二虎", "存喜", "富贵",
    "满仓", "占军", "有福", "玉明", "振华", "俊杰", "子涵", "博文", "凯", "军",
)  # fmt: skip
HAN_FEMALE_GIVEN = (
    "秀英", "桂兰", "丽娟", "美玲", "晓燕", "丽华", "春梅", "海燕", "慧", "婷", "芳", "敏",
    "雪梅", "玉兰", "红霞", "淑珍", "文静", "佳怡", "欣怡", "雅琴", "翠花", "月娥", "金凤", "彩霞",
    "艳", "娜", "宁", "俊英", "瑞芳", "思雨",
)  # fmt: skip
# Mongolian personal names, usually written without a surname.
MONGOLIAN_MALE = (
    "巴特尔", "额尔敦", "巴图", "苏和", "朝鲁", "宝音", "孟和", "达来", "阿拉坦", "毕力格",
    "那顺", "特木尔", "吉日嘎拉", "满都拉", "额尔德尼", "哈斯", "布和", "乌力吉", "赛音", "图门",
    "宝力道", "巴雅尔", "额日和木", "格日乐图", "呼和", "乌日图", "金山", "朝克图", "阿木古楞", "斯琴巴图",
)  # fmt: skip
MONGOLIAN_FEMALE = (
    "其其格", "乌云", "萨仁", "娜仁", "图雅", "格日勒", "斯琴", "高娃", "托娅", "塔娜",
    "萨日娜", "乌兰", "阿茹娜", "苏布达", "敖登", "琪琪格", "乌日娜", "额尔敦其其格", "娜仁花", "斯琴高娃",
    "萨其拉", "吉雅", "宝音图雅", "包金花", "白玉兰",
)  # fmt: skip

# Mobile number prefixes (first seven digits) of the kind issued in Bayannur.
MOBILE_PREFIXES = ("1394788", "1384788", "1514788", "1524788", "1874788", "1334788", "1804788", "1774788")

# What the operator's team members do: the contract asks for a dedicated team of at least 20.
STAFF_DUTIES = (
    "项目负责人", "项目副经理", "培训讲师", "培训讲师", "培训讲师", "站点运营专员", "站点运营专员",
    "站点运营专员", "站点运营专员", "供应链专员", "供应链专员", "品牌设计", "包装设计", "宣传专员",
    "新媒体运营", "直播运营", "溯源系统专员", "数据统计", "财务", "客服", "物流协调", "公共服务中心前台",
)  # fmt: skip

CLIENT_SUPERVISOR_NAME = "高建华"
AUDITOR_NAME = "田淑珍"


@dataclass(frozen=True)
class OrganisationSeed:
    """A business of the sample. ``{owner}`` in the name is filled with its contact person's name
    (a grower, farm or shop named after its owner); ``credit_prefix`` is the GB 32100 registration
    authority and type: 91 company, 92 individual business, 93 farmers' co-operative, 12 public body."""

    kind: str
    name: str
    town: str
    main_products: str
    credit_prefix: str
    in_village: bool = False


ORGANISATIONS = (
    OrganisationSeed("enterprise", "乌拉特中旗草原牧歌肉业有限公司", "海流图镇", "乌拉特羊肉、羊杂", "91"),
    OrganisationSeed("enterprise", "乌拉特中旗葵香炒货食品有限公司", "德岭山镇", "葵花籽、炒货", "91"),
    OrganisationSeed("enterprise", "乌拉特中旗金沙苁蓉生物科技有限公司", "川井苏木", "肉苁蓉、锁阳", "91"),
    OrganisationSeed("enterprise", "乌拉特中旗绒源羊绒制品有限公司", "海流图镇", "白绒山羊绒、羊绒衫", "91"),
    OrganisationSeed("enterprise", "乌拉特中旗河套雪面粉有限公司", "乌加河镇", "河套小麦粉、挂面", "91"),
    OrganisationSeed("enterprise", "乌拉特中旗口岸通商贸有限公司", "甘其毛都镇", "牛肉干、奶制品", "91"),
    OrganisationSeed("cooperative", "乌加河镇丰源蔬菜种植专业合作社", "乌加河镇", "番茄、黄柿子、辣椒", "93", True),
    OrganisationSeed("cooperative", "德岭山镇金葵向日葵种植专业合作社", "德岭山镇", "食葵、油葵", "93", True),
    OrganisationSeed("cooperative", "石哈河镇绿野马铃薯种植专业合作社", "石哈河镇", "马铃薯、燕麦", "93", True),
    OrganisationSeed("cooperative", "新忽热苏木牧人奶食品专业合作社", "新忽热苏木", "奶豆腐、奶皮子、黄油", "93", True),
    OrganisationSeed("cooperative", "温更镇沙葱种植专业合作社", "温更镇", "沙葱、韭菜花", "93", True),
    OrganisationSeed("cooperative", "呼鲁斯太苏木驼乡养殖专业合作社", "呼鲁斯太苏木", "驼奶、驼绒", "93", True),
    OrganisationSeed("large_grower", "{owner}蜜瓜种植大户", "乌加河镇", "华莱士蜜瓜、西瓜", "92", True),
    OrganisationSeed("large_grower", "{owner}肉羊养殖大户", "石哈河镇", "肉羊", "92", True),
    OrganisationSeed("large_grower", "{owner}枸杞种植大户", "德岭山镇", "枸杞", "92", True),
    OrganisationSeed("family_farm", "{owner}家庭牧场", "川井苏木", "戈壁羊、牛肉", "92", True),
    OrganisationSeed("family_farm", "{owner}家庭牧场", "巴音乌兰苏木", "绒山羊、羊绒", "92", True),
    OrganisationSeed("family_farm", "{owner}家庭牧场", "新忽热苏木", "肉牛、奶食品", "92", True),
    OrganisationSeed("family_farm", "{owner}家庭农场", "海流图镇", "小麦、玉米、向日葵", "92", True),
    OrganisationSeed("online_merchant", "乌拉特中旗草原味道网店", "海流图镇", "风干牛肉、奶食品", "92"),
    OrganisationSeed("online_merchant", "乌拉特中旗牧野优选电子商务商行", "海流图镇", "羊肉、炒米", "92"),
    OrganisationSeed("online_merchant", "乌拉特中旗沙葱哥直播工作室", "温更镇", "腌沙葱、沙葱", "92"),
    OrganisationSeed("online_merchant", "乌拉特中旗河套农家特产网店", "乌加河镇", "葵花籽、面粉、番茄酱", "92"),
    OrganisationSeed("post_office", "乌拉特中旗邮政分公司海流图镇邮政所", "海流图镇", "邮件快递、代收代投", "91"),
    OrganisationSeed("post_office", "乌拉特中旗邮政分公司德岭山镇邮政所", "德岭山镇", "邮件快递、代收代投", "91"),
    OrganisationSeed("post_office", "乌拉特中旗邮政分公司甘其毛都镇邮政所", "甘其毛都镇", "邮件快递", "91"),
    OrganisationSeed("supply_marketing", "乌拉特中旗供销合作社联合社", "海流图镇", "农资、日用品", "12"),
    OrganisationSeed("supply_marketing", "石哈河镇供销合作社", "石哈河镇", "农资、日用品、农产品收购", "91"),
    OrganisationSeed("logistics", "乌拉特中旗速达物流有限公司", "海流图镇", "县乡村三级配送", "91"),
    OrganisationSeed("logistics", "乌拉特中旗草原快运配送有限公司", "乌加河镇", "冷链配送", "91"),
)  # fmt: skip

# Kinds of organisation that work through the station nearest them (and so appear on its page).
STATION_LINKED_KINDS = ("cooperative", "large_grower", "family_farm", "post_office", "supply_marketing")
