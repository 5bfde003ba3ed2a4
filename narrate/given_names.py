"""Common English given names and the sex they usually belong to.

Used as a prior, never as the last word: a capitalised word that opens sentences
and is never written in lower case is a name when it is on this list, and a
character whose pronouns leave their gender open takes the list's. Written for
narrate from general knowledge of English naming; no list was copied.
"""

from __future__ import annotations


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


MALE = _names(
    """Aaron Abe Abel Abner Abraham Adam Adrian Albert Alec Alexander Alfred Algernon Allan
    Allen Alonzo Ambrose Amos Andrew Andy Angus Anthony Archibald Archie Arnold Arthur Asa
    Augustus Austin Barnaby Bartholomew Basil Ben Benjamin Bernard Bert Bertie Bertram Bill
    Billy Bob Bobby Boris Brian Bruce Bryan Caleb Carl Cecil Cedric Charles Charley Charlie
    Chester Christopher Clarence Claude Clement Clifford Clive Colin Conrad Cornelius Cyril
    Cyrus Dan Daniel Darcy David Dennis Derek Dick Donald Douglas Dudley Duncan Earl Ebenezer
    Ed Eddie Edgar Edmund Edward Edwin Eli Elias Elijah Elmer Emil Emmett Enoch Ephraim
    Eric Ernest Eugene Ezra Felix Ferdinand Francis Frank Frankie Fred Freddie Frederick
    Gabriel Geoffrey George Gerald Gideon Gilbert Giles Godfrey Gordon Graham Gregory Gus
    Guy Hal Hank Hans Harold Harry Harvey Hector Henry Herbert Herman Hiram Horace Horatio
    Howard Hubert Hugh Hugo Humphrey Ian Ichabod Isaac Isaiah Ivan Jack Jacob Jake James
    Jamie Jasper Jed Jeff Jeremiah Jeremy Jerome Jerry Jesse Jim Jimmy Joe Joel John Johnny
    Jonah Jonathan Joseph Josh Joshua Josiah Jude Julian Julius Justin Keith Kenneth Kit
    Larry Laurence Lawrence Leo Leon Leonard Leopold Les Lester Lewis Lionel Louis Lucas
    Luke Luther Malcolm Marcus Mark Martin Matt Matthew Maurice Max Maxwell Michael Mick
    Mike Miles Morgan Mortimer Moses Nat Nathan Nathaniel Ned Neil Neville Nicholas Nick
    Noah Noel Norman Oliver Ollie Orville Oscar Oswald Otto Owen Patrick Paul Percy Perry
    Pete Peter Phil Philip Phillip Pierre Ralph Randolph Raymond Reginald Reuben Richard
    Rob Robert Robin Roderick Rodney Roger Roland Ronald Roy Rudolph Rufus Rupert Russell
    Sam Sammy Samuel Saul Sebastian Seth Sidney Silas Simon Solomon Stanley Stephen Steve
    Steven Stuart Teddy Terence Theo Theodore Thomas Tim Timothy Toby Tom Tommy Tony Ulysses
    Victor Vincent Wallace Walter Warren Wilbur Wilfred Will Willie William Willy Zachary
    Zeke Sid"""
)

FEMALE = _names(
    """Abigail Ada Adela Adelaide Adeline Agatha Agnes Alice Alicia Amanda Amelia Amy Angela
    Anita Ann Anna Annabel Anne Annette Annie Antoinette Arabella Augusta Barbara Beatrice
    Becky Bella Bertha Beryl Bess Bessie Beth Betsey Betsy Betty Blanche Bridget Camilla
    Carol Caroline Catherine Cecilia Cecily Celia Charlotte Christina Christine Clara Clare
    Claire Constance Cora Cordelia Cynthia Daisy Deborah Delia Diana Dinah Dolly Dora
    Doris Dorothea Dorothy Edith Edna Eleanor Elinor Eliza Elizabeth Ella Ellen Elsie
    Emily Emma Esther Ethel Eugenia Eunice Eva Evelyn Evie Fanny Flora Florence Frances
    Gertrude Gladys Grace Greta Gwen Gwendolen Hannah Harriet Hattie Hazel Helen Helena
    Henrietta Hester Hetty Hilda Honora Ida Imogen Irene Isabel Isabella Isabelle Jane
    Janet Jean Jemima Jennie Jenny Jessie Jessica Joan Joanna Josephine Joyce Judith Judy
    Julia Juliet Kate Katharine Katherine Kathleen Katie Kitty Laura Lavinia Leah Lena
    Letitia Lilian Lillian Lizzie Lottie Louisa Louise Lucille Lucinda Lucy Lydia Mabel
    Madeline Maggie Margaret Margery Maria Marian Marianne Marie Marion Martha Mary Matilda
    Maud Maude Maureen Meg Mildred Millie Minnie Miranda Miriam Molly Nancy Nell Nellie Nora
    Olivia Pamela Patience Pauline Peggy Penelope Phoebe Phyllis Polly Priscilla Prudence
    Rachel Rebecca Rhoda Rosa Rosalind Rosamond Rosie Ruth Sally Sarah Sophia Sophie Susan
    Susanna Susie Sybil Sylvia Teresa Tess Theresa Tilly Victoria Vera Viola Virginia
    Winifred Winnie Rose Lily Violet Ruby Iris Pearl Ivy Olive Stella Effie Patty Letty
    Lizzy"""
)

# Japanese given names, for the many works set in Japan or in anime fandoms ("Yamato"
# may never get a pronoun). Names given to boys and girls alike (Akira, Hikaru, Yuki,
# Aoi, Ren …) are left out.
MALE |= _names(
    """Akihiko Akio Daichi Daiki Daisuke Eiji Goro Hajime Haruki Haruto Hayato Hideki Hideo
    Hiroki Hiroshi Hiroto Ichiro Isamu Itsuki Jiro Kaito Kazuki Kazuo Kenichi Kenji Kenta
    Koji Kota Masaki Masaru Minoru Naoki Noboru Osamu Riku Ryota Ryuji Saburo Satoshi Seiji
    Shinji Shota Sota Susumu Takashi Takeshi Takumi Taro Tatsuya Tetsuya Tomoya Toshiro
    Yamato Yasuo Yoichi Yoshiro Yuichi Yusuke Yuta Yuto"""
)
FEMALE |= _names(
    """Aiko Akane Akemi Asuka Atsuko Ayaka Ayako Ayame Ayumi Chie Chiyo Emiko Etsuko Fumiko
    Hanako Haruka Haruna Hikari Hiromi Hitomi Kaede Kanako Kaori Kasumi Keiko Kimiko Kiyoko
    Kumiko Kyoko Mariko Masako Megumi Michiko Midori Minako Misaki Mitsuko Momoko Nanami
    Naoko Noriko Reiko Sachiko Sakura Sayaka Sayuri Setsuko Shizuka Sumiko Tomoko Yoko
    Yoshiko Yukiko Yumiko Yuriko"""
)


def _nicknames(text: str) -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for entry in text.split(";"):
        full, _, short = entry.partition(":")
        for nickname in short.split():
            table.setdefault(nickname, set()).update(full.split())
    return {nickname: frozenset(fulls) for nickname, fulls in table.items()}


# A pet form and the given names it shortens: "Lizzy" is Elizabeth, "Kitty" Catherine.
# Only pet forms that are rarely given as names in their own right: "Jack" and
# "Harry" often are, so they are in SHARED_NICKNAMES below.
NICKNAMES = _nicknames(
    """Elizabeth: Lizzy Lizzie Liz Bess Bessie Betsy Betsey Betty Beth Libby; Eliza: Lizzy
    Lizzie Liz;
    Margaret: Maggie Meg Peggy Madge; Catherine Katharine Katherine Kathleen: Kate Katie
    Kitty Cathy; Mary: Polly Molly Mollie Mamie; Sarah: Sally Sadie; Anne Ann Anna: Annie
    Nanny; Frances: Fanny; Dorothy Dorothea: Dolly Dot; Eleanor Ellen Helen: Nell Nellie
    Nelly; Harriet: Hattie; Henrietta Hester: Hetty Etta; Susan Susanna: Sue Susie Sukey;
    Jane: Jenny Jennie; Martha: Patty Mattie; Matilda: Tilly Tilda; Charlotte: Lottie
    Lotty; Louisa Louise: Lou; Rebecca: Becky; Isabella Isabel: Bella; Amelia: Emmy Milly;
    Josephine: Josie; Wilhelmina: Mina; William: Will Willie Willy Bill Billy; Robert: Rob
    Robbie Bob Bobby; Richard: Dick Dickie Dicky; James: Jim Jimmy Jimmie Jem; John: Johnny
    Johnnie; Thomas: Tom Tommy; Edward Edmund Edwin: Ned Ted Teddy Eddie Ed; Henry: Hal
    Hank; Charles: Charley Charlie; Joseph: Joe Joey; Samuel: Sam Sammy; Benjamin: Ben
    Benny; Daniel: Dan Danny; Michael: Mike Mick Micky Mickey; Nicholas: Nick Nicky;
    Patrick: Pat Paddy; Peter: Pete; Philip Phillip: Phil; Timothy: Tim Timmy; Anthony:
    Tony; Alexander: Alec Alex Sandy; Frederick: Fred Freddy Freddie; Francis: Frank
    Frankie; Albert Herbert: Bert Bertie; Theodore: Theo; Lawrence Laurence: Larry Laurie;
    Andrew: Andy; Matthew: Matt Matty; Abraham: Abe; Isaac: Ike; Nathaniel Nathan: Nat;
    Stephen Steven: Steve; David: Dave Davy; Archibald: Archie; Reginald: Reggie; Gerald:
    Gerry; Augustus: Gus; Christopher: Chris; Ezekiel: Zeke"""
)

# Pet forms that are also given as names of their own: "Jack" may be John Reed or a
# Jack of his own, so these join the full name only on more evidence.
SHARED_NICKNAMES = _nicknames("John: Jack; Henry: Harry")
