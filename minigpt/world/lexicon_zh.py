"""Chinese words for every entity of the world (Simplified Chinese, mainland usage).

Chinese nouns do not inflect, so each entity has one form; countable nouns also carry their measure
word (一只猫, 一条狗, 一匹马, 一头牛, 一本书, 一张桌子, 一把椅子 ...), and gendered people their
pronoun (他 / 她). US states are written with 州 (得克萨斯州), as mainland texts do.
"""

from .core import Entity

COUNTRIES = {
    "france": "法国", "germany": "德国", "japan": "日本", "italy": "意大利", "spain": "西班牙", "china": "中国",
    "russia": "俄罗斯", "britain": "英国", "india": "印度", "greece": "希腊", "turkey": "土耳其", "egypt": "埃及",
    "portugal": "葡萄牙", "korea": "韩国", "vietnam": "越南", "austria": "奥地利", "norway": "挪威", "sweden": "瑞典",
}

CITIES = {
    "paris": "巴黎", "berlin": "柏林", "tokyo": "东京", "rome": "罗马", "madrid": "马德里", "beijing": "北京",
    "moscow": "莫斯科", "london": "伦敦", "new_delhi": "新德里", "athens": "雅典", "ankara": "安卡拉",
    "cairo": "开罗", "lisbon": "里斯本", "seoul": "首尔", "hanoi": "河内", "vienna": "维也纳", "oslo": "奥斯陆",
    "stockholm": "斯德哥尔摩",
    "austin": "奥斯汀", "sacramento": "萨克拉门托", "springfield": "斯普林菲尔德", "tallahassee": "塔拉哈西",
    "harrisburg": "哈里斯堡", "carson_city": "卡森城", "columbus": "哥伦布", "lansing": "兰辛", "salem": "塞勒姆",
    "nashville": "纳什维尔",
    "dallas": "达拉斯", "houston": "休斯敦", "san_antonio": "圣安东尼奥", "los_angeles": "洛杉矶",
    "san_francisco": "旧金山", "san_jose": "圣何塞", "chicago": "芝加哥", "peoria": "皮奥里亚", "miami": "迈阿密",
    "orlando": "奥兰多", "tampa": "坦帕", "philadelphia": "费城", "pittsburgh": "匹兹堡", "las_vegas": "拉斯维加斯",
    "reno": "里诺", "cleveland": "克利夫兰", "cincinnati": "辛辛那提", "detroit": "底特律", "flint": "弗林特",
    "portland": "波特兰", "eugene": "尤金", "memphis": "孟菲斯", "knoxville": "诺克斯维尔",
}

STATES = {
    "texas": "得克萨斯州", "california": "加利福尼亚州", "illinois": "伊利诺伊州", "florida": "佛罗里达州",
    "pennsylvania": "宾夕法尼亚州", "nevada": "内华达州", "ohio": "俄亥俄州", "michigan": "密歇根州",
    "oregon": "俄勒冈州", "tennessee": "田纳西州",
}

LANGUAGES = {
    "french": "法语", "german": "德语", "japanese": "日语", "italian": "意大利语", "spanish": "西班牙语",
    "chinese": "汉语", "russian": "俄语", "english": "英语", "hindi": "印地语", "greek": "希腊语",
    "turkish": "土耳其语", "arabic": "阿拉伯语", "portuguese": "葡萄牙语", "korean": "韩语",
    "vietnamese": "越南语", "norwegian": "挪威语", "swedish": "瑞典语",
}

FOODS = {
    "croissants": "牛角面包", "sausages": "香肠", "sushi": "寿司", "pizza": "披萨", "paella": "海鲜饭",
    "noodles": "面条", "borscht": "罗宋汤", "pudding": "布丁", "curry": "咖喱", "olives": "橄榄",
    "kebab": "烤肉串", "dates": "椰枣", "cod": "鳕鱼", "kimchi": "泡菜", "pho": "河粉", "schnitzel": "炸肉排",
    "salmon": "三文鱼", "meatballs": "肉丸",
}

# word, measure word, pronoun (他 / 她 for people with a gender, 它 for animals and things, "" when
# the word says nothing about gender: such a noun is repeated instead of replaced by a pronoun).
NOUNS = {
    "king": "国王 位 他", "queen": "王后 位 她", "man": "男人 个 他", "woman": "女人 个 她",
    "prince": "王子 位 他", "princess": "公主 位 她", "boy": "男孩 个 他", "girl": "女孩 个 她",
    "father": "父亲 位 他", "mother": "母亲 位 她", "brother": "哥哥 个 他", "sister": "姐姐 个 她",
    "son": "儿子 个 他", "daughter": "女儿 个 她", "uncle": "叔叔 位 他", "aunt": "阿姨 位 她",
    "husband": "丈夫 个 他", "wife": "妻子 个 她", "actor": "男演员 位 他", "actress": "女演员 位 她",
    "grandfather": "爷爷 位 他", "grandmother": "奶奶 位 她",
    "child": "孩子 个 -", "teacher": "老师 位 -", "doctor": "医生 位 -", "person_word": "人 个 -",
    "cat": "猫 只 它", "dog": "狗 条 它", "horse": "马 匹 它", "cow": "牛 头 它", "bird": "鸟 只 它",
    "fox": "狐狸 只 它", "wolf": "狼 只 它", "bear": "熊 头 它", "mouse": "老鼠 只 它", "rabbit": "兔子 只 它",
    "elephant": "大象 头 它", "tiger": "老虎 只 它", "animal_word": "动物 只 它",
    "table": "桌子 张 它", "chair": "椅子 把 它", "stone": "石头 块 它", "book": "书 本 它", "cup": "杯子 个 它",
    "door": "门 扇 它", "key": "钥匙 把 它", "spoon": "勺子 把 它", "window": "窗户 扇 它", "bottle": "瓶子 个 它",
    "box": "箱子 个 它", "lamp": "灯 盏 它", "object_word": "东西 个 它",
    "city": "城市 座 它", "river": "河 条 它", "mountain": "山 座 它", "house": "房子 座 它", "forest": "森林 片 它",
    "lake": "湖 个 它", "village": "村子 个 它",
}

# People for whom 们 is natural in the plural (孩子们, 老师们); animals and things never take it.
MEN_PLURAL = ("child", "teacher", "doctor", "boy", "girl", "man", "woman", "actor", "actress")

# Animate verbs: ongoing (在睡觉) and bare (会睡觉 / 不会睡觉).
VERBS = {
    "sleep": ("在睡觉", "睡觉"), "eat": ("在吃东西", "吃东西"), "drink": ("在喝水", "喝水"),
    "breathe": ("在呼吸", "呼吸"), "run": ("在跑", "跑"), "play": ("在玩", "玩"), "fly": ("在飞", "飞"),
}

ADJECTIVES = {"big": "大", "small": "小", "old": "老", "white": "白", "black": "黑", "grey": "灰"}
PERSON_ADJECTIVES = {"old": "年老的", "young": "年轻的", "kind": "善良的", "cheerful": "快乐的", "good": "好",
                     "clever": "聪明的", "brave": "勇敢的"}
MATERIALS = {"wood": "木头", "metal": "金属", "stone": "石头", "glass": "玻璃", "paper": "纸", "clay": "陶瓷"}
NUMERALS = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七"}

WHERE = {
    "cat": ("家里", "院子里", "花园里"), "dog": ("院子里", "家里", "花园里"), "horse": ("田野里", "草地上"),
    "cow": ("田野里", "草地上"), "bird": ("花园里", "森林里", "树上"), "fox": ("森林里", "田野里"),
    "wolf": ("森林里",), "bear": ("森林里",), "mouse": ("家里", "田野里"), "rabbit": ("花园里", "田野里", "森林里"),
    "elephant": ("河边", "动物园里"), "tiger": ("森林里", "动物园里"), "animal_word": ("森林里", "田野里"),
    "child": ("花园里", "院子里", "家里"), "boy": ("院子里", "公园里", "花园里"), "girl": ("院子里", "公园里", "花园里"),
    "man": ("家里", "公园里", "花园里"), "woman": ("家里", "公园里", "花园里"), "teacher": ("学校里",),
    "doctor": ("医院里",), "person_word": ("家里", "城里"),
    "table": ("房间里", "厨房里", "窗边", "角落里"), "chair": ("房间里", "厨房里", "窗边", "桌子旁边"),
    "stone": ("地上", "路边", "河边", "田野里"), "book": ("桌子上", "书架上", "地上", "箱子里"),
    "cup": ("桌子上", "书架上", "厨房里"), "key": ("桌子上", "地上", "箱子里", "门边"),
    "spoon": ("桌子上", "杯子里", "箱子里"), "bottle": ("桌子上", "书架上", "地上"),
    "box": ("角落里", "地上", "门边"), "lamp": ("桌子上", "角落里", "窗边"), "object_word": ("桌子上", "地上"),
}

PLACE_SENTENCES = {
    "city": ("这座城市建在河边。", "这座城市又大又热闹。", "城市里有很多房子和街道。"),
    "river": ("这条河流向大海。", "这条河又宽又深。", "河里的水很凉。"),
    "mountain": ("这座山很高。", "山顶上有雪。", "这座山在山谷的上方。"),
    "house": ("房子在街边。", "这座房子是石头建的。", "房子里又暖和又明亮。"),
    "forest": ("这片森林又密又暗。", "森林里长着高高的树。", "风一吹，森林就沙沙作响。"),
    "lake": ("这个湖很深。", "湖水很清。", "湖在两座山之间。"),
    "village": ("村子在河边。", "村子又小又安静。", "村子里住着很多人。"),
}

# Past actions of one person; the pronoun (他 / 她) is what carries gender in Chinese.
PERSON_ACTIONS = ("很早就醒了", "喝了一杯茶", "去了花园", "坐在窗边", "看了很久的书", "笑了", "累了",
                  "唱了一首歌", "睡得很香", "回家了", "写了一封信", "打开了窗户", "做了午饭")
PERSON_STATES = ("很高兴", "很幸福", "很平静")


def build_entities(category_of: dict) -> dict:
    entities = {}
    for table, category in ((COUNTRIES, "country"), (STATES, "state"), (LANGUAGES, "language"), (FOODS, "food")):
        for key, word in table.items():
            entities[key] = Entity(key, category, {"nom": word})
    for key, word in CITIES.items():
        entities[key] = Entity(key, category_of.get(key, "city"), {"nom": word})
    for key, line in NOUNS.items():
        word, mw, pronoun = line.split()
        forms = {"nom": word, "mw": mw, "pronoun": word if pronoun == "-" else pronoun}
        if key in MEN_PLURAL:
            forms["pl"] = word + "们"
        entities[key] = Entity(key, category_of[key], forms, mw=mw)
    return entities
