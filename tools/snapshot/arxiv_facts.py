"""Facts about the arXiv papers the bundled Hub snapshot cites, from which `build_arxiv_snapshot.py`
writes `snapshot/arxiv/`.

One row per arXiv id: title, authors in order, primary category and cross-lists, and the day of
first submission when known. The rows were written from the maintainers' knowledge of these papers
(checked against citations of them in public sources where memory was unsure), not recorded from the
arXiv API, which the machines this project is built on cannot reach. The one-line summaries were
written for the snapshot and are not the papers' abstracts. Which values are facts and which are
placeholders is documented in snapshot/arxiv/README.md.

Flags: `complete=False` means only the leading authors are listed; `cat_known=False` means the
primary category is the likeliest one, not a checked one; `title_known=False` would mark a title
derived from the citing models rather than known (there are none). `day` is the day of the month
of first submission when known; `month` overrides the id's month when the paper was submitted in
the last days of the month before the one its id encodes.
"""

PAPERS = []


def P(arxiv_id, title, authors, primary, summary, cats=(), day=None, month=None, complete=True,
      title_known=True, cat_known=True):
    PAPERS.append(dict(id=arxiv_id, title=title, authors=list(authors), primary=primary,
                       categories=[c for c in cats if c != primary], summary=summary, day=day, month=month,
                       authors_complete=complete, title_known=title_known, category_known=cat_known))


P("1503.02531", "Distilling the Knowledge in a Neural Network",
  ("Geoffrey Hinton", "Oriol Vinyals", "Jeff Dean"), "stat.ML",
  "Trains a small model to match the softened output distribution of a large model or ensemble, "
  "transferring most of its accuracy to a cheaper network.", cats=("cs.LG", "cs.NE"), day=9)
P("1512.03385", "Deep Residual Learning for Image Recognition",
  ("Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"), "cs.CV",
  "Introduces residual connections that let very deep convolutional networks train well, the ResNet "
  "architecture used for image classification and detection.", day=10)
P("1606.05250", "SQuAD: 100,000+ Questions for Machine Comprehension of Text",
  ("Pranav Rajpurkar", "Jian Zhang", "Konstantin Lopyrev", "Percy Liang"), "cs.CL",
  "Presents SQuAD, a reading-comprehension dataset of crowd-sourced questions whose answers are spans "
  "of Wikipedia paragraphs.")
P("1704.05426", "A Broad-Coverage Challenge Corpus for Sentence Understanding through Inference",
  ("Adina Williams", "Nikita Nangia", "Samuel R. Bowman"), "cs.CL",
  "Presents MultiNLI, a natural language inference corpus covering several genres of written and "
  "spoken English.")
P("1705.11168",
  "Are Distributional Representations Ready for the Real World? Evaluating Word Vectors for Grounded "
  "Perceptual Meaning",
  ("Li Lucy", "Jon Gauthier"), "cs.CL",
  "Tests how well distributional word vectors predict perceptual properties of concepts from human "
  "feature norms, finding that they capture some kinds of grounded meaning poorly.")
P("1708.00055",
  "SemEval-2017 Task 1: Semantic Textual Similarity - Multilingual and Cross-lingual Focused Evaluation",
  ("Daniel Cer", "Mona Diab", "Eneko Agirre", "Iñigo Lopez-Gazpio", "Lucia Specia"), "cs.CL",
  "Describes the 2017 shared task on semantic textual similarity in several languages and the STS "
  "Benchmark collected from earlier editions.")
P("1803.02324", "Annotation Artifacts in Natural Language Inference Data",
  ("Suchin Gururangan", "Swabha Swayamdipta", "Omer Levy", "Roy Schwartz", "Samuel R. Bowman",
   "Noah A. Smith"), "cs.CL",
  "Shows that NLI datasets contain cues in the hypotheses alone that let models guess the label "
  "without reading the premise.")
P("1805.12471", "Neural Network Acceptability Judgments",
  ("Alex Warstadt", "Amanpreet Singh", "Samuel R. Bowman"), "cs.CL",
  "Introduces CoLA, a corpus of sentences labelled for grammatical acceptability, and evaluates neural "
  "networks on it.")
P("1806.02847", "A Simple Method for Commonsense Reasoning",
  ("Trieu H. Trinh", "Quoc V. Le"), "cs.AI",
  "Scores the candidate answers of Winograd-style commonsense questions with language models trained on "
  "large unlabelled corpora, including a new story-like corpus.", day=7, cat_known=False)
P("1808.09121",
  "WiC: the Word-in-Context Dataset for Evaluating Context-Sensitive Meaning Representations",
  ("Mohammad Taher Pilehvar", "Jose Camacho-Collados"), "cs.CL",
  "Introduces WiC, a binary task asking whether a word has the same sense in two given contexts.")
P("1810.04805", "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
  ("Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"), "cs.CL",
  "Pre-trains a bidirectional Transformer encoder with masked language modelling and next-sentence "
  "prediction, then fine-tunes it for many language understanding tasks.", day=11)
P("1810.12885",
  "ReCoRD: Bridging the Gap between Human and Machine Commonsense Reading Comprehension",
  ("Sheng Zhang", "Xiaodong Liu", "Jingjing Liu", "Jianfeng Gao", "Kevin Duh", "Benjamin Van Durme"),
  "cs.CL",
  "Introduces ReCoRD, a cloze-style reading-comprehension dataset built from news articles that needs "
  "commonsense reasoning.")
P("1901.08746",
  "BioBERT: a pre-trained biomedical language representation model for biomedical text mining",
  ("Jinhyuk Lee", "Wonjin Yoon", "Sungdong Kim", "Donghyeon Kim", "Sunkyu Kim", "Chan Ho So",
   "Jaewoo Kang"), "cs.CL",
  "Continues BERT pre-training on PubMed abstracts and PMC articles and evaluates it on biomedical "
  "named-entity recognition, relation extraction and question answering.")
P("1903.10676", "SciBERT: A Pretrained Language Model for Scientific Text",
  ("Iz Beltagy", "Kyle Lo", "Arman Cohan"), "cs.CL",
  "Trains a BERT model with its own vocabulary on a large corpus of scientific papers and evaluates it "
  "on scientific NLP tasks.")
P("1904.03323", "Publicly Available Clinical BERT Embeddings",
  ("Emily Alsentzer", "John R. Murphy", "Willie Boag", "Wei-Hung Weng", "Di Jin", "Tristan Naumann",
   "Matthew B. A. McDermott"), "cs.CL",
  "Releases BERT models further pre-trained on clinical notes and shows gains on clinical NLP tasks.")
P("1905.02244", "Searching for MobileNetV3",
  ("Andrew Howard", "Mark Sandler", "Grace Chu", "Liang-Chieh Chen", "Bo Chen", "Mingxing Tan",
   "Weijun Wang", "Yukun Zhu", "Ruoming Pang", "Vijay Vasudevan", "Quoc V. Le", "Hartwig Adam"), "cs.CV",
  "Designs the MobileNetV3 family of efficient mobile vision networks with hardware-aware architecture "
  "search and manual refinements.")
P("1905.07830", "HellaSwag: Can a Machine Really Finish Your Sentence?",
  ("Rowan Zellers", "Ari Holtzman", "Yonatan Bisk", "Ali Farhadi", "Yejin Choi"), "cs.CL",
  "Introduces HellaSwag, a sentence-completion benchmark built with adversarial filtering that is easy "
  "for people and hard for language models.")
P("1905.10044", "BoolQ: Exploring the Surprising Difficulty of Natural Yes/No Questions",
  ("Christopher Clark", "Kenton Lee", "Ming-Wei Chang", "Tom Kwiatkowski", "Michael Collins",
   "Kristina Toutanova"), "cs.CL",
  "Introduces BoolQ, a dataset of naturally occurring yes/no questions paired with Wikipedia passages.")
P("1905.11946", "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks",
  ("Mingxing Tan", "Quoc V. Le"), "cs.LG",
  "Scales network depth, width and input resolution together with a compound coefficient, giving the "
  "EfficientNet family of image classifiers.", cats=("cs.CV", "stat.ML"), day=28)
P("1906.08101", "Pre-Training with Whole Word Masking for Chinese BERT",
  ("Yiming Cui", "Wanxiang Che", "Ting Liu", "Bing Qin", "Ziqing Yang"), "cs.CL",
  "Applies whole-word masking to Chinese BERT pre-training and releases the resulting Chinese models.",
  complete=False)
P("1907.11692", "RoBERTa: A Robustly Optimized BERT Pretraining Approach",
  ("Yinhan Liu", "Myle Ott", "Naman Goyal", "Jingfei Du", "Mandar Joshi", "Danqi Chen", "Omer Levy",
   "Mike Lewis", "Luke Zettlemoyer", "Veselin Stoyanov"), "cs.CL",
  "Revisits BERT pre-training choices (more data, longer training, no next-sentence objective, dynamic "
  "masking) and obtains a stronger encoder.", day=26)
P("1908.04913", "FairFace: Face Attribute Dataset for Balanced Race, Gender, and Age",
  ("Kimmo Kärkkäinen", "Jungseock Joo"), "cs.CV",
  "Introduces FairFace, a face image dataset balanced across race groups, gender and age, for training "
  "and auditing attribute classifiers.")
P("1908.10063", "FinBERT: Financial Sentiment Analysis with Pre-trained Language Models",
  ("Dogu Araci",), "cs.CL",
  "Adapts BERT to the financial domain and fine-tunes it for sentiment classification of financial text.")
P("1908.10084", "Sentence-BERT: Sentence Embeddings using Siamese BERT-Networks",
  ("Nils Reimers", "Iryna Gurevych"), "cs.CL",
  "Fine-tunes BERT in a siamese setup to produce sentence embeddings that can be compared with cosine "
  "similarity for semantic search and clustering.", day=27)
P("1909.00161",
  "Benchmarking Zero-shot Text Classification: Datasets, Evaluation and Entailment Approach",
  ("Wenpeng Yin", "Jamaal Hay", "Dan Roth"), "cs.CL",
  "Sets up benchmarks for zero-shot text classification and frames the task as textual entailment "
  "between the text and a label description.")
P("1909.05658", "UER: An Open-Source Toolkit for Pre-training Models",
  ("Zhe Zhao", "Hui Chen", "Jinbin Zhang", "Xin Zhao", "Tao Liu", "Wei Lu", "Xi Chen", "Haotang Deng",
   "Qi Ju", "Xiaoyong Du"), "cs.CL",
  "Presents UER, a modular toolkit for pre-training and fine-tuning language representation models, with "
  "a zoo of Chinese models.")
P("1909.08053",
  "Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism",
  ("Mohammad Shoeybi", "Mostofa Patwary", "Raul Puri", "Patrick LeGresley", "Jared Casper",
   "Bryan Catanzaro"), "cs.CL",
  "Splits Transformer layers across GPUs with intra-layer model parallelism to train language models "
  "with billions of parameters.")
P("1909.11942", "ALBERT: A Lite BERT for Self-supervised Learning of Language Representations",
  ("Zhenzhong Lan", "Mingda Chen", "Sebastian Goodman", "Kevin Gimpel", "Piyush Sharma", "Radu Soricut"),
  "cs.CL",
  "Reduces BERT's parameters with factorised embeddings and cross-layer parameter sharing and replaces "
  "next-sentence prediction with a sentence-order objective.", cats=("cs.AI",), day=26)
P("1910.01108",
  "DistilBERT, a distilled version of BERT: smaller, faster, cheaper and lighter",
  ("Victor Sanh", "Lysandre Debut", "Julien Chaumond", "Thomas Wolf"), "cs.CL",
  "Distils BERT during pre-training into a smaller, faster model that keeps most of its accuracy.", day=2)
P("1910.09700", "Quantifying the Carbon Emissions of Machine Learning",
  ("Alexandre Lacoste", "Alexandra Luccioni", "Victor Schmidt", "Thomas Dandres"), "cs.CY",
  "Discusses what drives the carbon emissions of training models and presents a calculator for "
  "estimating them.", cats=("cs.LG",))
P("1910.10683", "Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer",
  ("Colin Raffel", "Noam Shazeer", "Adam Roberts", "Katherine Lee", "Sharan Narang", "Michael Matena",
   "Yanqi Zhou", "Wei Li", "Peter J. Liu"), "cs.LG",
  "Casts every NLP task as text-to-text, studies pre-training choices systematically, and releases the "
  "T5 models and the C4 corpus.", cats=("cs.CL", "stat.ML"), day=23)
P("1910.13461",
  "BART: Denoising Sequence-to-Sequence Pre-training for Natural Language Generation, Translation, and "
  "Comprehension",
  ("Mike Lewis", "Yinhan Liu", "Naman Goyal", "Marjan Ghazvininejad", "Abdelrahman Mohamed", "Omer Levy",
   "Ves Stoyanov", "Luke Zettlemoyer"), "cs.CL",
  "Pre-trains a sequence-to-sequence Transformer to reconstruct corrupted text, which works well for "
  "summarisation and other generation tasks.", day=29)
P("1911.00536",
  "DialoGPT: Large-Scale Generative Pre-training for Conversational Response Generation",
  ("Yizhe Zhang", "Siqi Sun", "Michel Galley", "Yen-Chun Chen", "Chris Brockett", "Xiang Gao",
   "Jianfeng Gao", "Jingjing Liu", "Bill Dolan"), "cs.CL",
  "Trains a GPT-2 style model on Reddit conversation threads to generate conversational responses.")
P("1911.02116", "Unsupervised Cross-lingual Representation Learning at Scale",
  ("Alexis Conneau", "Kartikay Khandelwal", "Naman Goyal", "Vishrav Chaudhary", "Guillaume Wenzek",
   "Francisco Guzmán", "Edouard Grave", "Myle Ott", "Luke Zettlemoyer", "Veselin Stoyanov"), "cs.CL",
  "Pre-trains XLM-R, a masked language model over one hundred languages of filtered CommonCrawl text, "
  "for cross-lingual transfer.")
P("1911.02150", "Fast Transformer Decoding: One Write-Head is All You Need",
  ("Noam Shazeer",), "cs.NE",
  "Proposes multi-query attention, where all heads share one set of keys and values, to speed up "
  "incremental decoding.", cats=("cs.CL", "cs.LG"))
P("1911.03894", "CamemBERT: a Tasty French Language Model",
  ("Louis Martin", "Benjamin Muller", "Pedro Javier Ortiz Suárez", "Yoann Dupont", "Laurent Romary",
   "Éric Villemonte de la Clergerie", "Djamé Seddah", "Benoît Sagot"), "cs.CL",
  "Trains a RoBERTa-style model on French web text and evaluates it on French tagging, parsing, NER and "
  "inference.")
P("1912.08777",
  "PEGASUS: Pre-training with Extracted Gap-sentences for Abstractive Summarization",
  ("Jingqing Zhang", "Yao Zhao", "Mohammad Saleh", "Peter J. Liu"), "cs.CL",
  "Pre-trains an encoder-decoder by masking whole important sentences and generating them, tailored to "
  "abstractive summarisation.")
P("2002.08155", "CodeBERT: A Pre-Trained Model for Programming and Natural Languages",
  ("Zhangyin Feng", "Daya Guo", "Duyu Tang", "Nan Duan", "Xiaocheng Feng", "Ming Gong", "Linjun Shou",
   "Bing Qin", "Ting Liu", "Daxin Jiang", "Ming Zhou"), "cs.CL",
  "Pre-trains a bimodal encoder on paired natural language and source code for code search and code "
  "documentation tasks.", cats=("cs.PL",))
P("2002.10957",
  "MiniLM: Deep Self-Attention Distillation for Task-Agnostic Compression of Pre-Trained Transformers",
  ("Wenhui Wang", "Furu Wei", "Li Dong", "Hangbo Bao", "Nan Yang", "Ming Zhou"), "cs.CL",
  "Compresses pre-trained Transformers by distilling the teacher's last-layer self-attention behaviour "
  "into a small student.")
P("2003.10555", "ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators",
  ("Kevin Clark", "Minh-Thang Luong", "Quoc V. Le", "Christopher D. Manning"), "cs.CL",
  "Pre-trains an encoder to detect tokens replaced by a small generator, which is more sample-efficient "
  "than masked language modelling.")
P("2004.04906", "Dense Passage Retrieval for Open-Domain Question Answering",
  ("Vladimir Karpukhin", "Barlas Oğuz", "Sewon Min", "Patrick Lewis", "Ledell Wu", "Sergey Edunov",
   "Danqi Chen", "Wen-tau Yih"), "cs.CL",
  "Trains a dual-encoder retriever on question-passage pairs that outperforms sparse retrieval for "
  "open-domain question answering.")
P("2004.05150", "Longformer: The Long-Document Transformer",
  ("Iz Beltagy", "Matthew E. Peters", "Arman Cohan"), "cs.CL",
  "Combines sliding-window and global attention so that Transformer cost grows linearly with sequence "
  "length, for long documents.")
P("2004.09297", "MPNet: Masked and Permuted Pre-training for Language Understanding",
  ("Kaitao Song", "Xu Tan", "Tao Qin", "Jianfeng Lu", "Tie-Yan Liu"), "cs.CL",
  "Unifies masked and permuted language modelling in one pre-training objective for encoders.")
P("2004.13922", "Revisiting Pre-Trained Models for Chinese Natural Language Processing",
  ("Yiming Cui", "Wanxiang Che", "Ting Liu", "Bing Qin", "Shijin Wang", "Guoping Hu"), "cs.CL",
  "Compares pre-trained Chinese language models and proposes MacBERT, which masks with similar words "
  "instead of a mask token.")
P("2005.12872", "End-to-End Object Detection with Transformers",
  ("Nicolas Carion", "Francisco Massa", "Gabriel Synnaeve", "Nicolas Usunier", "Alexander Kirillov",
   "Sergey Zagoruyko"), "cs.CV",
  "Introduces DETR, which predicts a set of objects directly with a Transformer and bipartite matching, "
  "without anchors or non-maximum suppression.")
P("2005.14165", "Language Models are Few-Shot Learners",
  ("Tom B. Brown", "Benjamin Mann", "Nick Ryder", "Melanie Subbiah", "Jared Kaplan", "Prafulla Dhariwal",
   "Arvind Neelakantan", "Pranav Shyam", "Girish Sastry", "Amanda Askell"), "cs.CL",
  "Trains GPT-3, a 175-billion-parameter language model, and shows that it performs many tasks from a "
  "few examples given in the prompt.", day=28, complete=False)
P("2006.03654", "DeBERTa: Decoding-enhanced BERT with Disentangled Attention",
  ("Pengcheng He", "Xiaodong Liu", "Jianfeng Gao", "Weizhu Chen"), "cs.CL",
  "Improves BERT-style encoders with attention that separates content and relative position and with an "
  "enhanced mask decoder.", cats=("cs.LG",))
P("2006.03677",
  "Visual Transformers: Token-based Image Representation and Processing for Computer Vision",
  ("Bichen Wu", "Chenfeng Xu", "Xiaoliang Dai", "Alvin Wan", "Peizhao Zhang", "Zhicheng Yan",
   "Masayoshi Tomizuka", "Joseph Gonzalez", "Kurt Keutzer", "Peter Vajda"), "cs.CV",
  "Represents an image as a small set of semantic visual tokens processed by a Transformer, replacing "
  "late convolution stages.")
P("2006.11477", "wav2vec 2.0: A Framework for Self-Supervised Learning of Speech Representations",
  ("Alexei Baevski", "Henry Zhou", "Abdelrahman Mohamed", "Michael Auli"), "cs.CL",
  "Learns speech representations by solving a contrastive task over masked latent audio features, then "
  "fine-tunes for speech recognition with little labelled data.", cats=("cs.LG", "cs.SD", "eess.AS"),
  day=20)
P("2008.00401", "Multilingual Translation with Extensible Multilingual Pretraining and Finetuning",
  ("Yuqing Tang", "Chau Tran", "Xian Li", "Peng-Jen Chen", "Naman Goyal", "Vishrav Chaudhary",
   "Jiatao Gu", "Angela Fan"), "cs.CL",
  "Extends mBART pre-training to fifty languages and fine-tunes it on many translation directions at "
  "once.")
P("2009.03300", "Measuring Massive Multitask Language Understanding",
  ("Dan Hendrycks", "Collin Burns", "Steven Basart", "Andy Zou", "Mantas Mazeika", "Dawn Song",
   "Jacob Steinhardt"), "cs.CY",
  "Introduces MMLU, a multiple-choice benchmark spanning 57 subjects for measuring the knowledge of "
  "language models.", cats=("cs.AI", "cs.CL", "cs.LG"))
P("2010.10906", "German's Next Language Model",
  ("Branden Chan", "Stefan Schweter", "Timo Möller"), "cs.CL",
  "Trains and evaluates German BERT and ELECTRA models, studying how data size and training length "
  "affect them.")
P("2010.11125", "Beyond English-Centric Multilingual Machine Translation",
  ("Angela Fan", "Shruti Bhosale", "Holger Schwenk", "Zhiyi Ma", "Ahmed El-Kishky"), "cs.CL",
  "Builds M2M-100, a many-to-many translation model trained on mined data that translates directly "
  "between non-English language pairs.", complete=False)
P("2010.11430", "Self-training and Pre-training are Complementary for Speech Recognition",
  ("Qiantong Xu", "Alexei Baevski", "Tatiana Likhomanenko", "Paden Tomasello", "Alexis Conneau",
   "Ronan Collobert", "Gabriel Synnaeve", "Michael Auli"), "cs.LG",
  "Combines wav2vec 2.0 pre-training with pseudo-label self-training and shows the gains add up, even "
  "with minutes of labelled speech.", cat_known=False)
P("2010.11929", "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale",
  ("Alexey Dosovitskiy", "Lucas Beyer", "Alexander Kolesnikov", "Dirk Weissenborn", "Xiaohua Zhai",
   "Thomas Unterthiner", "Mostafa Dehghani", "Matthias Minderer", "Georg Heigold", "Sylvain Gelly",
   "Jakob Uszkoreit", "Neil Houlsby"), "cs.CV",
  "Applies a plain Transformer to sequences of image patches (the Vision Transformer) and shows it "
  "matches convolutional networks when pre-trained on enough data.", cats=("cs.AI", "cs.LG"), day=22)
P("2010.11934", "mT5: A massively multilingual pre-trained text-to-text transformer",
  ("Linting Xue", "Noah Constant", "Adam Roberts", "Mihir Kale", "Rami Al-Rfou", "Aditya Siddhant",
   "Aditya Barua", "Colin Raffel"), "cs.CL",
  "Trains a multilingual T5 on a CommonCrawl corpus covering 101 languages.")
P("2012.01477", "The Third DIHARD Diarization Challenge",
  ("Neville Ryant", "Prachi Singh", "Venkat Krishnamohan", "Rajat Varma", "Kenneth Church",
   "Christopher Cieri", "Jun Du", "Sriram Ganapathy", "Mark Liberman"), "eess.AS",
  "Reports the third DIHARD speaker diarization challenge, its tracks, domains and data, and the "
  "results of the submitted systems.", day=2, cat_known=False)
P("2101.00027", "The Pile: An 800GB Dataset of Diverse Text for Language Modeling",
  ("Leo Gao", "Stella Biderman", "Sid Black", "Laurence Golding", "Travis Hoppe", "Charles Foster",
   "Jason Phang", "Horace He", "Anish Thite", "Noa Nabeshima", "Shawn Presser", "Connor Leahy"), "cs.CL",
  "Assembles the Pile, an 825 GiB English text corpus from 22 diverse sources, for training large "
  "language models.", day=31, month="2020-12")
P("2103.00020", "Learning Transferable Visual Models From Natural Language Supervision",
  ("Alec Radford", "Jong Wook Kim", "Chris Hallacy", "Aditya Ramesh", "Gabriel Goh", "Sandhini Agarwal",
   "Girish Sastry", "Amanda Askell", "Pamela Mishkin", "Jack Clark", "Gretchen Krueger", "Ilya Sutskever"),
  "cs.CV",
  "Trains CLIP, paired image and text encoders learned contrastively from image-caption pairs, which "
  "enables zero-shot image classification.", cats=("cs.LG",), day=26, month="2021-02")
P("2103.13413", "Vision Transformers for Dense Prediction",
  ("René Ranftl", "Alexey Bochkovskiy", "Vladlen Koltun"), "cs.CV",
  "Introduces DPT, which uses a Vision Transformer backbone for dense prediction such as depth "
  "estimation and semantic segmentation.")
P("2103.14030", "Swin Transformer: Hierarchical Vision Transformer using Shifted Windows",
  ("Ze Liu", "Yutong Lin", "Yue Cao", "Han Hu", "Yixuan Wei", "Zheng Zhang", "Stephen Lin",
   "Baining Guo"), "cs.CV",
  "Builds a hierarchical vision Transformer that computes attention within shifted local windows, as a "
  "general backbone for vision tasks.", cats=("cs.LG",))
P("2104.01778", "AST: Audio Spectrogram Transformer",
  ("Yuan Gong", "Yu-An Chung", "James Glass"), "cs.SD",
  "Classifies audio with a convolution-free Transformer applied to spectrogram patches.",
  cats=("cs.AI", "eess.AS"))
P("2104.08663",
  "BEIR: A Heterogenous Benchmark for Zero-shot Evaluation of Information Retrieval Models",
  ("Nandan Thakur", "Nils Reimers", "Andreas Rücklé", "Abhishek Srivastava", "Iryna Gurevych"), "cs.IR",
  "Introduces BEIR, a collection of diverse retrieval datasets for evaluating retrieval models without "
  "in-domain training.", cats=("cs.AI", "cs.CL"))
P("2104.09864", "RoFormer: Enhanced Transformer with Rotary Position Embedding",
  ("Jianlin Su", "Yu Lu", "Shengfeng Pan"), "cs.CL",
  "Introduces rotary position embedding, which encodes positions by rotating query and key vectors so "
  "that attention depends on relative offsets.", complete=False)
P("2105.13626", "ByT5: Towards a token-free future with pre-trained byte-to-byte models",
  ("Linting Xue", "Aditya Barua", "Noah Constant", "Rami Al-Rfou", "Sharan Narang", "Mihir Kale",
   "Adam Roberts", "Colin Raffel"), "cs.CL",
  "Trains a T5 variant that reads and writes raw UTF-8 bytes instead of subword tokens.")
P("2105.15203", "SegFormer: Simple and Efficient Design for Semantic Segmentation with Transformers",
  ("Enze Xie", "Wenhai Wang", "Zhiding Yu", "Anima Anandkumar", "Jose M. Alvarez", "Ping Luo"), "cs.CV",
  "Pairs a hierarchical Transformer encoder with a lightweight MLP decoder for semantic segmentation.",
  cats=("cs.LG",))
P("2106.00666",
  "You Only Look at One Sequence: Rethinking Transformer in Vision through Object Detection",
  ("Yuxin Fang", "Bencheng Liao", "Xinggang Wang", "Jiemin Fang", "Jiyang Qi", "Rui Wu", "Jianwei Niu",
   "Wenyu Liu"), "cs.CV",
  "Shows that a plain Vision Transformer with detection tokens (YOLOS) can perform object detection with "
  "minimal changes.")
P("2106.07447",
  "HuBERT: Self-Supervised Speech Representation Learning by Masked Prediction of Hidden Units",
  ("Wei-Ning Hsu", "Benjamin Bolte", "Yao-Hung Hubert Tsai", "Kushal Lakhotia", "Ruslan Salakhutdinov",
   "Abdelrahman Mohamed"), "cs.CL",
  "Learns speech representations by predicting offline cluster assignments of masked audio frames, "
  "refining the clusters over iterations.", day=14)
P("2106.09685", "LoRA: Low-Rank Adaptation of Large Language Models",
  ("Edward J. Hu", "Yelong Shen", "Phillip Wallis", "Zeyuan Allen-Zhu", "Yuanzhi Li", "Shean Wang",
   "Lu Wang", "Weizhu Chen"), "cs.CL",
  "Fine-tunes large models by freezing the pre-trained weights and training low-rank update matrices "
  "added to chosen layers.", cats=("cs.AI", "cs.LG"), day=17)
P("2106.10270",
  "How to train your ViT? Data, Augmentation, and Regularization in Vision Transformers",
  ("Andreas Steiner", "Alexander Kolesnikov", "Xiaohua Zhai", "Ross Wightman", "Jakob Uszkoreit",
   "Lucas Beyer"), "cs.CV",
  "Studies how data size, augmentation, regularisation and compute interact when training Vision "
  "Transformers, and releases many checkpoints.", cats=("cs.LG",))
P("2106.14807",
  "A Few Brief Notes on DeepImpact, COIL, and a Conceptual Framework for Information Retrieval Techniques",
  ("Jimmy Lin", "Xueguang Ma"), "cs.IR",
  "Places recent neural retrieval models in a framework of sparse and dense, learned and unlearned "
  "representations, and proposes the uniCOIL sparse model.")
P("2108.01073",
  "SDEdit: Guided Image Synthesis and Editing with Stochastic Differential Equations",
  ("Chenlin Meng", "Yutong He", "Yang Song", "Jiaming Song", "Jiajun Wu", "Jun-Yan Zhu",
   "Stefano Ermon"), "cs.CV",
  "Edits and synthesises images by adding noise to a guide image and denoising it with a diffusion "
  "model's reverse process.", cats=("cs.AI",))
P("2108.08787", "Mr. TyDi: A Multi-lingual Benchmark for Dense Retrieval",
  ("Xinyu Zhang", "Xueguang Ma", "Peng Shi", "Jimmy Lin"), "cs.CL",
  "Builds Mr. TyDi, a monolingual retrieval benchmark in eleven typologically diverse languages, from "
  "TyDi QA.", cats=("cs.IR",))
P("2108.12409",
  "Train Short, Test Long: Attention with Linear Biases Enables Input Length Extrapolation",
  ("Ofir Press", "Noah A. Smith", "Mike Lewis"), "cs.CL",
  "Replaces position embeddings with a distance-proportional penalty on attention scores (ALiBi), letting "
  "models handle inputs longer than those seen in training.")
P("2109.10282", "TrOCR: Transformer-based Optical Character Recognition with Pre-trained Models",
  ("Minghao Li", "Tengchao Lv", "Jingye Chen", "Lei Cui", "Yijuan Lu", "Dinei Florencio", "Cha Zhang",
   "Zhoujun Li", "Furu Wei"), "cs.CL",
  "Performs text recognition with a pre-trained image Transformer encoder and a pre-trained text "
  "Transformer decoder.", cats=("cs.CV",))
P("2110.00061",
  "PubTables-1M: Towards comprehensive table extraction from unstructured documents",
  ("Brandon Smock", "Rohith Pesala", "Robin Abraham"), "cs.LG",
  "Releases PubTables-1M, nearly a million annotated tables from scientific articles, and trains DETR "
  "models (Table Transformer) for table detection and structure recognition.", cat_known=False)
P("2110.00476", "ResNet strikes back: An improved training procedure in timm",
  ("Ross Wightman", "Hugo Touvron", "Hervé Jégou"), "cs.CV",
  "Re-trains a vanilla ResNet-50 with modern training recipes and shows how much its ImageNet accuracy "
  "improves.", cats=("cs.LG",))
P("2110.02861", "8-bit Optimizers via Block-wise Quantization",
  ("Tim Dettmers", "Mike Lewis", "Sam Shleifer", "Luke Zettlemoyer"), "cs.LG",
  "Stores optimizer states in 8 bits with block-wise dynamic quantization, cutting memory use while "
  "matching 32-bit training.")
P("2110.07205",
  "SpeechT5: Unified-Modal Encoder-Decoder Pre-Training for Spoken Language Processing",
  ("Junyi Ao", "Rui Wang", "Long Zhou", "Chengyi Wang", "Shuo Ren", "Yu Wu", "Shujie Liu", "Tom Ko",
   "Qing Li", "Yu Zhang", "Zhihua Wei", "Yao Qian", "Jinyu Li", "Furu Wei"), "eess.AS",
  "Pre-trains a shared encoder-decoder with modality-specific pre- and post-nets on speech and text, for "
  "tasks such as recognition and synthesis.", cats=("cs.CL", "cs.SD"))
P("2111.09543",
  "DeBERTaV3: Improving DeBERTa using ELECTRA-Style Pre-Training with Gradient-Disentangled Embedding "
  "Sharing",
  ("Pengcheng He", "Jianfeng Gao", "Weizhu Chen"), "cs.CL",
  "Trains DeBERTa with replaced-token detection and a gradient-disentangled way of sharing embeddings "
  "between generator and discriminator.", cats=("cs.LG",))
P("2111.14448", "AVA-AVD: Audio-Visual Speaker Diarization in the Wild",
  ("Eric Zhongcong Xu", "Zeyang Song", "Satoshi Tsutsui", "Chao Feng", "Mang Ye", "Mike Zheng Shou"),
  "cs.CV",
  "Annotates speaker diarization on movie clips to create the AVA-AVD benchmark and proposes an "
  "audio-visual relation network for it.", cats=("cs.MM", "eess.AS"), day=29)
P("2112.10752", "High-Resolution Image Synthesis with Latent Diffusion Models",
  ("Robin Rombach", "Andreas Blattmann", "Dominik Lorenz", "Patrick Esser", "Björn Ommer"), "cs.CV",
  "Runs diffusion in the latent space of a pre-trained autoencoder and conditions it through "
  "cross-attention, the basis of Stable Diffusion.", day=20)
P("2201.03545", "A ConvNet for the 2020s",
  ("Zhuang Liu", "Hanzi Mao", "Chao-Yuan Wu", "Christoph Feichtenhofer", "Trevor Darrell",
   "Saining Xie"), "cs.CV",
  "Modernises a standard ResNet step by step with Transformer-era design choices, giving the ConvNeXt "
  "family.", day=10)
P("2201.07311", "Datasheet for the Pile",
  ("Stella Biderman", "Kieran Bicheno", "Leo Gao"), "cs.CL",
  "Documents the Pile corpus in datasheet form: its motivation, composition, collection and intended "
  "uses.")
P("2201.08542", "Can Model Compression Improve NLP Fairness",
  ("Guangxuan Xu", "Qingyuan Hu"), "cs.CL",
  "Measures how knowledge distillation and attention-head pruning of GPT-2 change toxicity and bias "
  "metrics.")
P("2201.12086",
  "BLIP: Bootstrapping Language-Image Pre-training for Unified Vision-Language Understanding and "
  "Generation",
  ("Junnan Li", "Dongxu Li", "Caiming Xiong", "Steven Hoi"), "cs.CV",
  "Pre-trains a vision-language model for both understanding and generation and cleans noisy web "
  "captions with a captioner and a filter.")
P("2202.00512", "Progressive Distillation for Fast Sampling of Diffusion Models",
  ("Tim Salimans", "Jonathan Ho"), "cs.LG",
  "Repeatedly distils a diffusion sampler into one that needs half as many steps, and introduces the "
  "v-prediction parameterisation.", cats=("cs.AI", "stat.ML"))
P("2202.03829", "TimeLMs: Diachronic Language Models from Twitter",
  ("Daniel Loureiro", "Francesco Barbieri", "Leonardo Neves", "Luis Espinosa Anke",
   "Jose Camacho-Collados"), "cs.CL",
  "Releases language models trained on Twitter data up to successive cut-off dates to study and handle "
  "language change over time.")
P("2203.12574",
  "Mitigating Gender Bias in Distilled Language Models via Counterfactual Role Reversal",
  ("Umang Gupta", "Jwala Dhamala", "Varun Kumar", "Apurv Verma", "Yada Pruksachatkun",
   "Satyapriya Krishna", "Rahul Gupta", "Kai-Wei Chang", "Greg Ver Steeg", "Aram Galstyan"), "cs.CL",
  "Finds that distilled language models can show more gender disparity than their teachers and reduces "
  "it with counterfactual data during distillation.")
P("2203.13474",
  "CodeGen: An Open Large Language Model for Code with Multi-Turn Program Synthesis",
  ("Erik Nijkamp", "Bo Pang", "Hiroaki Hayashi", "Lifu Tu", "Huan Wang", "Yingbo Zhou",
   "Silvio Savarese", "Caiming Xiong"), "cs.LG",
  "Trains and releases the CodeGen family of code language models and studies program synthesis "
  "specified over several conversational turns.")
P("2204.05149", "The Carbon Footprint of Machine Learning Training Will Plateau, Then Shrink",
  ("David Patterson", "Joseph Gonzalez", "Urs Hölzle", "Quoc Le", "Chen Liang", "Lluis-Miquel Munguia",
   "Daniel Rothchild", "David So", "Maud Texier", "Jeff Dean"), "cs.LG",
  "Estimates the energy use and emissions of training machine learning models and argues that best "
  "practices can cut them substantially.")
P("2204.06745", "GPT-NeoX-20B: An Open-Source Autoregressive Language Model",
  ("Sid Black", "Stella Biderman", "Eric Hallahan", "Quentin Anthony", "Leo Gao"), "cs.CL",
  "Describes GPT-NeoX-20B, a 20-billion-parameter language model trained on the Pile and released with "
  "open weights.", complete=False)
P("2205.01068", "OPT: Open Pre-trained Transformer Language Models",
  ("Susan Zhang", "Stephen Roller", "Naman Goyal", "Mikel Artetxe", "Moya Chen"), "cs.CL",
  "Releases OPT, a suite of decoder-only language models from 125M to 175B parameters, with a logbook of "
  "training them.", cats=("cs.LG",), complete=False)
P("2205.11487",
  "Photorealistic Text-to-Image Diffusion Models with Deep Language Understanding",
  ("Chitwan Saharia", "William Chan", "Saurabh Saxena", "Lala Li", "Jay Whang"), "cs.CV",
  "Presents Imagen, a cascade of diffusion models conditioned on a frozen large text encoder for "
  "text-to-image generation.", cats=("cs.LG",), complete=False)
P("2205.14135", "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness",
  ("Tri Dao", "Daniel Y. Fu", "Stefano Ermon", "Atri Rudra", "Christopher Ré"), "cs.LG",
  "Computes exact attention in tiles that stay in fast on-chip memory, reducing memory traffic and "
  "speeding up Transformer training.")
P("2207.04672", "No Language Left Behind: Scaling Human-Centered Machine Translation",
  ("NLLB Team", "Marta R. Costa-jussà", "James Cross"), "cs.CL",
  "Builds NLLB-200, a translation model covering 200 languages with emphasis on low-resource ones, "
  "together with new datasets and evaluations.", cats=("cs.AI",), complete=False)
P("2207.12598", "Classifier-Free Diffusion Guidance",
  ("Jonathan Ho", "Tim Salimans"), "cs.LG",
  "Guides a conditional diffusion model by mixing its conditional and unconditional predictions, "
  "without a separate classifier.", cats=("cs.AI",))
P("2207.14255", "Efficient Training of Language Models to Fill in the Middle",
  ("Mohammad Bavarian", "Heewoo Jun", "Nikolas Tezak", "John Schulman", "Christine McLeavey",
   "Jerry Tworek", "Mark Chen"), "cs.CL",
  "Teaches left-to-right language models to infill text by moving a middle span to the end during "
  "training, at little cost to ordinary generation.")
P("2209.06794", "PaLI: A Jointly-Scaled Multilingual Language-Image Model",
  ("Xi Chen", "Xiao Wang", "Soravit Changpinyo", "AJ Piergiovanni", "Piotr Padlewski"), "cs.CV",
  "Scales a multilingual vision-language model by combining a large Vision Transformer with a large "
  "text encoder-decoder.", cats=("cs.CL",), complete=False)
P("2210.07316", "MTEB: Massive Text Embedding Benchmark",
  ("Niklas Muennighoff", "Nouamane Tazi", "Loïc Magne", "Nils Reimers"), "cs.CL",
  "Introduces MTEB, a benchmark of many embedding tasks and datasets, and evaluates a wide range of text "
  "embedding models on it.", cats=("cs.IR", "cs.LG"))
P("2210.11416", "Scaling Instruction-Finetuned Language Models",
  ("Hyung Won Chung", "Le Hou", "Shayne Longpre", "Barret Zoph", "Yi Tay"), "cs.LG",
  "Fine-tunes language models on a large collection of instruction tasks (Flan), including "
  "chain-of-thought data, and studies how this scales.", cats=("cs.CL",), complete=False)
P("2210.13352", "ESB: A Benchmark For Multi-Domain End-to-End Speech Recognition",
  ("Sanchit Gandhi", "Patrick von Platen", "Alexander M. Rush"), "cs.CL",
  "Introduces ESB, a benchmark that evaluates one speech recognition system across several English "
  "datasets and domains without dataset-specific processing.")
P("2211.01324",
  "eDiff-I: Text-to-Image Diffusion Models with an Ensemble of Expert Denoisers",
  ("Yogesh Balaji", "Seungjun Nah", "Xun Huang", "Arash Vahdat", "Jiaming Song"), "cs.CV",
  "Trains separate denoisers specialised for different stages of the diffusion process for "
  "text-to-image generation.", cats=("cs.LG",), complete=False)
P("2211.01786", "Crosslingual Generalization through Multitask Finetuning",
  ("Niklas Muennighoff", "Thomas Wang", "Lintang Sutawika", "Adam Roberts", "Stella Biderman"), "cs.CL",
  "Fine-tunes multilingual BLOOM and mT5 models on multitask prompts (BLOOMZ, mT0) and studies zero-shot "
  "transfer across languages.", complete=False)
P("2211.05100", "BLOOM: A 176B-Parameter Open-Access Multilingual Language Model",
  ("BigScience Workshop", "Teven Le Scao", "Angela Fan"), "cs.CL",
  "Describes BLOOM, a 176-billion-parameter multilingual language model trained in an open "
  "collaboration and released with open access.", complete=False)
P("2212.03533", "Text Embeddings by Weakly-Supervised Contrastive Pre-training",
  ("Liang Wang", "Nan Yang", "Xiaolong Huang", "Binxing Jiao", "Linjun Yang", "Daxin Jiang",
   "Rangan Majumder", "Furu Wei"), "cs.CL",
  "Trains the E5 text embedding models contrastively on a large curated set of weakly paired texts.",
  cats=("cs.IR",))
P("2212.04356", "Robust Speech Recognition via Large-Scale Weak Supervision",
  ("Alec Radford", "Jong Wook Kim", "Tao Xu", "Greg Brockman", "Christine McLeavey", "Ilya Sutskever"),
  "eess.AS",
  "Trains Whisper, an encoder-decoder speech model, on a large amount of weakly supervised multilingual "
  "audio for robust recognition and translation.", cats=("cs.CL", "cs.LG", "cs.SD"), day=6)
P("2212.06385",
  "TencentPretrain: A Scalable and Flexible Toolkit for Pre-training Models of Different Modalities",
  ("Zhe Zhao", "Yudong Li", "Cheng Hou", "Jing Zhao"), "cs.CL",
  "Presents TencentPretrain, a modular toolkit that extends UER to large models and to pre-training on "
  "text, vision and audio.", complete=False)
P("2302.05543", "Adding Conditional Control to Text-to-Image Diffusion Models",
  ("Lvmin Zhang", "Anyi Rao", "Maneesh Agrawala"), "cs.CV",
  "Adds spatial conditioning such as edges or poses to a pre-trained text-to-image diffusion model by "
  "training a copy of its encoder connected through zero-initialised layers (ControlNet).",
  cats=("cs.AI", "cs.GR", "cs.HC", "cs.MM"), day=10)
P("2303.15343", "Sigmoid Loss for Language Image Pre-Training",
  ("Xiaohua Zhai", "Basil Mustafa", "Alexander Kolesnikov", "Lucas Beyer"), "cs.CV",
  "Replaces the softmax contrastive loss of CLIP-style training with a pairwise sigmoid loss (SigLIP).",
  cats=("cs.AI",))
P("2304.01373",
  "Pythia: A Suite for Analyzing Large Language Models Across Training and Scaling",
  ("Stella Biderman", "Hailey Schoelkopf", "Quentin Anthony", "Herbie Bradley", "Kyle O'Brien"), "cs.CL",
  "Releases Pythia, a suite of language models of several sizes trained on the same data in the same "
  "order, with intermediate checkpoints for research.", complete=False)
P("2304.02643", "Segment Anything",
  ("Alexander Kirillov", "Eric Mintun", "Nikhila Ravi", "Hanzi Mao", "Chloe Rolland", "Laura Gustafson",
   "Tete Xiao", "Spencer Whitehead", "Alexander C. Berg", "Wan-Yen Lo", "Piotr Dollár", "Ross Girshick"),
  "cs.CV",
  "Introduces a promptable segmentation model (SAM) and a dataset of over a billion masks collected "
  "with it.", cats=("cs.AI", "cs.LG"), day=5)
P("2304.07193", "DINOv2: Learning Robust Visual Features without Supervision",
  ("Maxime Oquab", "Timothée Darcet", "Théo Moutakanni", "Huy Vo", "Marc Szafraniec"), "cs.CV",
  "Trains general-purpose visual features with self-supervised learning on a large curated image "
  "dataset.", complete=False)
P("2304.08069", "DETRs Beat YOLOs on Real-time Object Detection",
  ("Yian Zhao", "Wenyu Lv", "Shangliang Xu", "Jinman Wei"), "cs.CV",
  "Presents RT-DETR, a real-time end-to-end Transformer detector with an efficient hybrid encoder.",
  complete=False)
P("2304.08485", "Visual Instruction Tuning",
  ("Haotian Liu", "Chunyuan Li", "Qingyang Wu", "Yong Jae Lee"), "cs.CV",
  "Connects a vision encoder to a language model and tunes it on machine-generated multimodal "
  "instruction data (LLaVA).", cats=("cs.AI", "cs.CL", "cs.LG"))
P("2305.13035", "Getting ViT in Shape: Scaling Laws for Compute-Optimal Model Design",
  ("Ibrahim Alabdulmohsin", "Xiaohua Zhai", "Alexander Kolesnikov", "Lucas Beyer"), "cs.CV",
  "Fits scaling laws for the width, depth and MLP size of Vision Transformers and derives a "
  "compute-optimal shape (SoViT).", cats=("cs.LG",))
P("2305.13245",
  "GQA: Training Generalized Multi-Query Transformer Models from Multi-Head Checkpoints",
  ("Joshua Ainslie", "James Lee-Thorp", "Michiel de Jong", "Yury Zemlyanskiy", "Federico Lebrón",
   "Sumit Sanghai"), "cs.CL",
  "Introduces grouped-query attention and a recipe for converting multi-head checkpoints to it with a "
  "little extra training.", cats=("cs.LG",))
P("2305.13516", "Scaling Speech Technology to 1,000+ Languages",
  ("Vineel Pratap", "Andros Tjandra", "Bowen Shi", "Paden Tomasello", "Arun Babu"), "cs.CL",
  "Builds speech recognition, synthesis and language identification for over a thousand languages from "
  "religious text recordings (MMS).", cats=("cs.SD", "eess.AS"), complete=False)
P("2305.14233",
  "Enhancing Chat Language Models by Scaling High-quality Instructional Conversations",
  ("Ning Ding", "Yulin Chen", "Bokai Xu", "Yujia Qin"), "cs.CL",
  "Generates UltraChat, a large dataset of multi-turn instructional conversations, and fine-tunes a chat "
  "model on it.", complete=False)
P("2305.14314", "QLoRA: Efficient Finetuning of Quantized LLMs",
  ("Tim Dettmers", "Artidoro Pagnoni", "Ari Holtzman", "Luke Zettlemoyer"), "cs.LG",
  "Fine-tunes LoRA adapters on top of a 4-bit quantized frozen model, using NF4 quantization, double "
  "quantization and paged optimizers.", day=23)
P("2305.18290", "Direct Preference Optimization: Your Language Model is Secretly a Reward Model",
  ("Rafael Rafailov", "Archit Sharma", "Eric Mitchell", "Stefano Ermon", "Christopher D. Manning",
   "Chelsea Finn"), "cs.LG",
  "Aligns language models to preference pairs with a simple classification-style loss, without "
  "training a separate reward model or running reinforcement learning.", cats=("cs.AI", "cs.CL"), day=29)
P("2306.01116",
  "The RefinedWeb Dataset for Falcon LLM: Outperforming Curated Corpora with Web Data, and Web Data Only",
  ("Guilherme Penedo", "Quentin Malartic", "Daniel Hesslow", "Ruxandra Cojocaru", "Alessandro Cappelli",
   "Hamza Alobeidli", "Baptiste Pannier", "Ebtesam Almazrouei", "Julien Launay"), "cs.CL",
  "Shows that carefully filtered and deduplicated web data alone can train language models as well as "
  "curated corpora, and releases part of RefinedWeb.", cats=("cs.AI",))
P("2306.05284", "Simple and Controllable Music Generation",
  ("Jade Copet", "Felix Kreuk", "Itai Gat", "Tal Remez", "David Kant", "Gabriel Synnaeve", "Yossi Adi",
   "Alexandre Défossez"), "cs.SD",
  "Generates music with a single-stage Transformer over interleaved audio codec tokens, conditioned on "
  "text or melody (MusicGen).", cats=("cs.AI", "cs.LG", "eess.AS"))
P("2306.05685", "Judging LLM-as-a-Judge with MT-Bench and Chatbot Arena",
  ("Lianmin Zheng", "Wei-Lin Chiang", "Ying Sheng", "Siyuan Zhuang", "Zhanghao Wu", "Yonghao Zhuang",
   "Zi Lin", "Zhuohan Li", "Dacheng Li", "Eric P. Xing", "Hao Zhang", "Joseph E. Gonzalez", "Ion Stoica"),
  "cs.CL",
  "Studies using strong language models to grade chat assistants and introduces MT-Bench and the "
  "Chatbot Arena platform.", cats=("cs.AI",))
P("2306.14824", "Kosmos-2: Grounding Multimodal Large Language Models to the World",
  ("Zhiliang Peng", "Wenhui Wang", "Li Dong", "Yaru Hao", "Shaohan Huang", "Shuming Ma", "Furu Wei"),
  "cs.CL",
  "Adds grounding to a multimodal language model, linking text spans to image regions expressed as "
  "location tokens.", cats=("cs.CV",))
P("2307.01952", "SDXL: Improving Latent Diffusion Models for High-Resolution Image Synthesis",
  ("Dustin Podell", "Zion English", "Kyle Lacey", "Andreas Blattmann", "Tim Dockhorn", "Jonas Müller",
   "Joe Penna", "Robin Rombach"), "cs.CV",
  "Scales up the latent diffusion UNet, adds size and crop conditioning, and uses a refinement model for "
  "higher-quality text-to-image generation.", cats=("cs.AI",), day=4)
P("2307.09288", "Llama 2: Open Foundation and Fine-Tuned Chat Models",
  ("Hugo Touvron", "Louis Martin", "Kevin Stone", "Peter Albert", "Amjad Almahairi", "Yasmine Babaei",
   "Nikolay Bashlykov", "Soumya Batra", "Prajjwal Bhargava", "Shruti Bhosale", "Dan Bikel",
   "Lukas Blecher", "Cristian Canton Ferrer", "Moya Chen", "Guillem Cucurull", "David Esiobu",
   "Jude Fernandes", "Jeremy Fu", "Wenyin Fu", "Brian Fuller", "Cynthia Gao", "Vedanuj Goswami",
   "Naman Goyal", "Anthony Hartshorn", "Saghar Hosseini", "Rui Hou", "Hakan Inan", "Marcin Kardas",
   "Viktor Kerkez", "Madian Khabsa", "Isabel Kloumann", "Artem Korenev", "Punit Singh Koura",
   "Marie-Anne Lachaux", "Thibaut Lavril", "Jenya Lee", "Diana Liskovich", "Yinghai Lu", "Yuning Mao",
   "Xavier Martinet", "Todor Mihaylov", "Pushkar Mishra", "Igor Molybog", "Yixin Nie", "Andrew Poulton",
   "Jeremy Reizenstein", "Rashi Rungta", "Kalyan Saladi", "Alan Schelten", "Ruan Silva",
   "Eric Michael Smith", "Ranjan Subramanian", "Xiaoqing Ellen Tan", "Binh Tang", "Ross Taylor",
   "Adina Williams", "Jian Xiang Kuan", "Puxin Xu", "Zheng Yan", "Iliyan Zarov", "Yuchen Zhang",
   "Angela Fan", "Melanie Kambadur", "Sharan Narang", "Aurelien Rodriguez", "Robert Stojnic",
   "Sergey Edunov", "Thomas Scialom"), "cs.CL",
  "Releases the Llama 2 pre-trained models from 7B to 70B parameters and Llama 2-Chat models tuned for "
  "dialogue with supervised fine-tuning and RLHF.", cats=("cs.AI",), day=18)
P("2308.03281", "Towards General Text Embeddings with Multi-stage Contrastive Learning",
  ("Zehan Li", "Xin Zhang", "Yanzhao Zhang", "Dingkun Long", "Pengjun Xie", "Meishan Zhang"), "cs.CL",
  "Trains the GTE text embedding models with contrastive pre-training on diverse weakly supervised pairs "
  "followed by supervised fine-tuning.")
P("2308.06721",
  "IP-Adapter: Text Compatible Image Prompt Adapter for Text-to-Image Diffusion Models",
  ("Hu Ye", "Jun Zhang", "Sibo Liu", "Xiao Han", "Wei Yang"), "cs.CV",
  "Adds image prompts to a frozen text-to-image diffusion model through a small adapter with decoupled "
  "cross-attention.", cats=("cs.AI",))
P("2308.12950", "Code Llama: Open Foundation Models for Code",
  ("Baptiste Rozière", "Jonas Gehring", "Fabian Gloeckle", "Sten Sootla", "Itai Gat"), "cs.CL",
  "Specialises Llama 2 for code with further training, infilling, long-context fine-tuning and "
  "instruction tuning.", complete=False)
P("2308.12966",
  "Qwen-VL: A Versatile Vision-Language Model for Understanding, Localization, Text Reading, and Beyond",
  ("Jinze Bai", "Shuai Bai", "Shusheng Yang", "Shijie Wang"), "cs.CV",
  "Builds vision-language models on the Qwen language model with a visual encoder and adapter, trained "
  "for captioning, question answering, grounding and text reading.", cats=("cs.CL",), complete=False)
P("2309.00071", "YaRN: Efficient Context Window Extension of Large Language Models",
  ("Bowen Peng", "Jeffrey Quesnelle", "Honglu Fan", "Enrico Shippole"), "cs.CL",
  "Extends the context window of models using rotary position embeddings by interpolating frequencies "
  "non-uniformly and scaling attention, with little fine-tuning.", cats=("cs.AI", "cs.LG"))
P("2309.07597", "C-Pack: Packed Resources For General Chinese Embeddings",
  ("Shitao Xiao", "Zheng Liu", "Peitian Zhang", "Niklas Muennighoff", "Defu Lian", "Jian-Yun Nie"),
  "cs.CL",
  "Releases a Chinese embedding benchmark, a large training corpus and the BGE family of embedding "
  "models with their training recipe.")
P("2310.00426",
  "PixArt-$α$: Fast Training of Diffusion Transformer for Photorealistic Text-to-Image Synthesis",
  ("Junsong Chen", "Jincheng Yu", "Chongjian Ge", "Lewei Yao", "Enze Xie"), "cs.CV",
  "Trains a Transformer-based text-to-image diffusion model at a fraction of the usual cost through "
  "staged training and dense captions.", complete=False)
P("2310.01377", "UltraFeedback: Boosting Language Models with Scaled AI Feedback",
  ("Ganqu Cui", "Lifan Yuan", "Ning Ding", "Guanming Yao", "Bingxiang He", "Wei Zhu", "Yuan Ni",
   "Guotong Xie", "Ruobing Xie", "Yankai Lin", "Zhiyuan Liu", "Maosong Sun"), "cs.CL",
  "Collects UltraFeedback, a large dataset of model responses rated by GPT-4, and uses it to train "
  "reward and chat models.")
P("2310.06825", "Mistral 7B",
  ("Albert Q. Jiang", "Alexandre Sablayrolles", "Arthur Mensch", "Chris Bamford",
   "Devendra Singh Chaplot", "Diego de las Casas", "Florian Bressand", "Gianna Lengyel",
   "Guillaume Lample", "Lucile Saulnier", "Lélio Renard Lavaud", "Marie-Anne Lachaux", "Pierre Stock",
   "Teven Le Scao", "Thibaut Lavril", "Thomas Wang", "Timothée Lacroix", "William El Sayed"), "cs.CL",
  "Describes Mistral 7B, a 7-billion-parameter language model using grouped-query and sliding-window "
  "attention, and an instruction-tuned variant.", cats=("cs.AI", "cs.LG"), day=10)
P("2310.07554", "Retrieve Anything To Augment Large Language Models",
  ("Peitian Zhang", "Shitao Xiao", "Zheng Liu", "Zhicheng Dou", "Jian-Yun Nie"), "cs.IR",
  "Trains LLM-Embedder, one embedding model serving the different retrieval needs of "
  "retrieval-augmented language models.")
P("2310.09199", "PaLI-3 Vision Language Models: Smaller, Faster, Stronger",
  ("Xi Chen", "Xiao Wang", "Lucas Beyer", "Alexander Kolesnikov"), "cs.CV",
  "Shows that a 5B vision-language model with a SigLIP-pretrained image encoder competes with much "
  "larger models.", complete=False)
P("2310.16944", "Zephyr: Direct Distillation of LM Alignment",
  ("Lewis Tunstall", "Edward Beeching", "Nathan Lambert", "Nazneen Rajani", "Kashif Rasul",
   "Younes Belkada", "Shengyi Huang", "Leandro von Werra", "Clémentine Fourrier", "Nathan Habib",
   "Nathan Sarrazin", "Omar Sanseviero", "Alexander M. Rush", "Thomas Wolf"), "cs.LG",
  "Aligns a small chat model by distilled supervised fine-tuning followed by DPO on AI-ranked "
  "preferences (Zephyr-7B).", cats=("cs.CL",))
P("2310.19923",
  "Jina Embeddings 2: 8192-Token General-Purpose Text Embeddings for Long Documents",
  ("Michael Günther", "Jackmin Ong", "Isabelle Mohr"), "cs.CL",
  "Trains text embedding models with ALiBi attention that accept inputs of up to 8192 tokens.",
  complete=False)
P("2311.00430", "Distil-Whisper: Robust Knowledge Distillation via Large-Scale Pseudo Labelling",
  ("Sanchit Gandhi", "Patrick von Platen", "Alexander M. Rush"), "cs.CL",
  "Distils Whisper into a smaller, faster model using filtered pseudo-labels on a large open speech "
  "corpus.")
P("2311.05556", "LCM-LoRA: A Universal Stable-Diffusion Acceleration Module",
  ("Simian Luo", "Yiqin Tan", "Suraj Patil", "Daniel Gu", "Patrick von Platen"), "cs.CV",
  "Distils latent consistency models into LoRA adapters that let Stable Diffusion models sample in a few "
  "steps.", complete=False)
P("2311.06242", "Florence-2: Advancing a Unified Representation for a Variety of Vision Tasks",
  ("Bin Xiao", "Haiping Wu", "Weijian Xu", "Xiyang Dai"), "cs.CV",
  "Trains a sequence-to-sequence vision foundation model that handles captioning, detection, grounding "
  "and segmentation through text prompts.", complete=False)
P("2311.13534", "LM-Cocktail: Resilient Tuning of Language Models via Model Merging",
  ("Shitao Xiao", "Zheng Liu", "Peitian Zhang", "Xingrun Xing"), "cs.CL",
  "Merges a fine-tuned model with its base and other models by weighted averaging to keep general "
  "abilities after fine-tuning.")
P("2312.11805", "Gemini: A Family of Highly Capable Multimodal Models",
  ("Gemini Team", "Rohan Anil", "Sebastian Borgeaud"), "cs.CL",
  "Reports the Gemini family of multimodal models that process text, images, audio and video.",
  cats=("cs.AI", "cs.CV"), day=19, complete=False)
P("2312.15166",
  "SOLAR 10.7B: Scaling Large Language Models with Simple yet Effective Depth Up-Scaling",
  ("Dahyun Kim", "Chanjun Park", "Sanghoon Kim", "Wonsung Lee"), "cs.CL",
  "Scales a language model by duplicating and stacking its layers, then continuing pre-training (depth "
  "up-scaling).", complete=False)
P("2312.15503", "Making Large Language Models A Better Foundation For Dense Retrieval",
  ("Chaofan Li", "Zheng Liu", "Shitao Xiao", "Yingxia Shao"), "cs.CL",
  "Adapts a large language model into a dense retriever with pre-training tasks that make its text "
  "embeddings more useful for retrieval (LLaRA).")
P("2401.02385", "TinyLlama: An Open-Source Small Language Model",
  ("Peiyuan Zhang", "Guangtao Zeng", "Tianduo Wang", "Wei Lu"), "cs.CL",
  "Pre-trains a 1.1B-parameter Llama-architecture model on about three trillion tokens and releases it.",
  cats=("cs.AI",))
P("2401.03462", "Long Context Compression with Activation Beacon",
  ("Peitian Zhang", "Zheng Liu", "Shitao Xiao", "Ninglu Shao", "Qiwei Ye", "Zhicheng Dou"), "cs.CL",
  "Compresses a language model's key-value activations into beacon tokens so that it can process much "
  "longer contexts at lower cost.")
P("2401.04088", "Mixtral of Experts",
  ("Albert Q. Jiang", "Alexandre Sablayrolles", "Antoine Roux", "Arthur Mensch", "Blanche Savary",
   "Chris Bamford", "Devendra Singh Chaplot", "Diego de las Casas", "Emma Bou Hanna", "Florian Bressand",
   "Gianna Lengyel", "Guillaume Bour", "Guillaume Lample", "Lélio Renard Lavaud", "Lucile Saulnier",
   "Marie-Anne Lachaux", "Pierre Stock", "Sandeep Subramanian", "Sophia Yang", "Szymon Antoniak",
   "Teven Le Scao", "Théophile Gervet", "Thibaut Lavril", "Thomas Wang", "Timothée Lacroix",
   "William El Sayed"), "cs.LG",
  "Describes Mixtral 8x7B, a sparse mixture-of-experts language model that routes each token to two of "
  "eight expert feed-forward blocks.", cats=("cs.CL",), day=8)
P("2401.10891", "Depth Anything: Unleashing the Power of Large-Scale Unlabeled Data",
  ("Lihe Yang", "Bingyi Kang", "Zilong Huang", "Xiaogang Xu", "Jiashi Feng", "Hengshuang Zhao"), "cs.CV",
  "Trains a monocular depth estimation model on large amounts of automatically labelled unlabelled "
  "images.")
P("2402.00838", "OLMo: Accelerating the Science of Language Models",
  ("Dirk Groeneveld", "Iz Beltagy", "Pete Walsh", "Akshita Bhagia", "Rodney Kinney"), "cs.CL",
  "Releases OLMo, an open language model together with its training data, code, logs and intermediate "
  "checkpoints.", complete=False)
P("2402.01613", "Nomic Embed: Training a Reproducible Long Context Text Embedder",
  ("Zach Nussbaum", "John X. Morris", "Brandon Duderstadt", "Andriy Mulyar"), "cs.CL",
  "Trains and fully releases a long-context English text embedding model with its data and training "
  "code.", cats=("cs.AI",))
P("2402.03216",
  "M3-Embedding: Multi-Linguality, Multi-Functionality, Multi-Granularity Text Embeddings Through "
  "Self-Knowledge Distillation",
  ("Jianlv Chen", "Shitao Xiao", "Peitian Zhang", "Kun Luo", "Defu Lian", "Zheng Liu"), "cs.CL",
  "Trains BGE-M3, one embedding model supporting dense, sparse and multi-vector retrieval across many "
  "languages and long inputs, using self-knowledge distillation.")
P("2402.05672", "Multilingual E5 Text Embeddings: A Technical Report",
  ("Liang Wang", "Nan Yang", "Xiaolong Huang", "Linjun Yang", "Rangan Majumder", "Furu Wei"), "cs.CL",
  "Describes the training recipe and evaluation of the multilingual E5 text embedding models.",
  cats=("cs.IR",))
P("2402.13929", "SDXL-Lightning: Progressive Adversarial Diffusion Distillation",
  ("Shanchuan Lin", "Anran Wang", "Xiao Yang"), "cs.CV",
  "Distils SDXL into one- to few-step text-to-image generators by combining progressive and adversarial "
  "distillation.")
P("2402.17245",
  "Playground v2.5: Three Insights towards Enhancing Aesthetic Quality in Text-to-Image Generation",
  ("Daiqing Li", "Aleks Kamko", "Ehsan Akhgari", "Ali Sabet", "Linmiao Xu", "Suhail Doshi"), "cs.CV",
  "Improves the aesthetic quality of a text-to-image diffusion model through noise scheduling, balanced "
  "aspect ratios and human-preference alignment.")
P("2402.19173", "StarCoder 2 and The Stack v2: The Next Generation",
  ("Anton Lozhkov", "Raymond Li", "Loubna Ben Allal", "Federico Cassano", "Joel Lamy-Poirier"), "cs.SE",
  "Builds The Stack v2 code dataset from the Software Heritage archive and trains the StarCoder2 code "
  "models on it.", cats=("cs.AI",), complete=False)
P("2403.03206", "Scaling Rectified Flow Transformers for High-Resolution Image Synthesis",
  ("Patrick Esser", "Sumith Kulal", "Andreas Blattmann", "Rahim Entezari", "Jonas Müller"), "cs.CV",
  "Trains rectified-flow text-to-image models with a multimodal Transformer backbone and studies their "
  "scaling (Stable Diffusion 3).", complete=False)
P("2403.06412", "CLIcK: A Benchmark Dataset of Cultural and Linguistic Intelligence in Korean",
  ("Eunsu Kim", "Juyoung Suk", "Philhoon Oh", "Haneul Yoo", "James Thorne", "Alice Oh"), "cs.CL",
  "Introduces CLIcK, multiple-choice questions from Korean exams and textbooks that test Korean cultural "
  "and linguistic knowledge.")
P("2403.19270", "sDPO: Don't Use Your Data All at Once",
  ("Dahyun Kim", "Yungi Kim", "Wonho Song", "Hyeonwoo Kim", "Yunsu Kim", "Sanghoon Kim",
   "Chanjun Park"), "cs.CL",
  "Applies DPO in stages over partitions of the preference data, using the previous stage's model as "
  "the reference.")
P("2404.01657", "Release of Pre-Trained Models for the Japanese Language",
  ("Kei Sawada", "Tianyu Zhao", "Makoto Shing", "Kentaro Mitsui", "Akio Kaga", "Yukiya Hono",
   "Toshiaki Wakatsuki", "Koh Mitsuda"), "cs.CL",
  "Describes rinna's publicly released Japanese pre-trained models, including GPT, CLIP, speech and "
  "image generation models.")
P("2404.14219", "Phi-3 Technical Report: A Highly Capable Language Model Locally on Your Phone",
  ("Marah Abdin", "Jyoti Aneja", "Hany Awadalla", "Ahmed Awadallah", "Ammar Ahmad Awan", "Nguyen Bach",
   "Amit Bahree", "Arash Bakhtiari", "Jianmin Bao", "Harkirat Behl"), "cs.CL",
  "Reports the Phi-3 small language models, trained on heavily filtered web and synthetic data to run "
  "on devices such as phones.", cats=("cs.AI",), day=22, complete=False)
P("2405.01481", "NeMo-Aligner: Scalable Toolkit for Efficient Model Alignment",
  ("Gerald Shen", "Zhilin Wang", "Olivier Delalleau", "Jiaqi Zeng", "Yi Dong", "Daniel Egert",
   "Shengyang Sun", "Jimmy Zhang", "Sahil Jain", "Ali Taghibakhshi", "Markel Sanz Ausin",
   "Ashwath Aithal", "Oleksii Kuchaiev"), "cs.CL",
  "Presents NeMo-Aligner, a toolkit for aligning large language models with RLHF, DPO, SteerLM and "
  "related methods across many GPUs.")
P("2405.02246", "What matters when building vision-language models?",
  ("Hugo Laurençon", "Léo Tronchon", "Matthieu Cord", "Victor Sanh"), "cs.CV",
  "Runs controlled experiments on architecture and training choices for vision-language models and "
  "trains Idefics2 from the findings.", cats=("cs.AI",))
P("2405.14734", "SimPO: Simple Preference Optimization with a Reference-Free Reward",
  ("Yu Meng", "Mengzhou Xia", "Danqi Chen"), "cs.CL",
  "Optimises preferences with a length-normalised sequence likelihood as implicit reward and a target "
  "margin, without a reference model.", cats=("cs.LG",))
P("2405.16406", "SpinQuant: LLM quantization with learned rotations",
  ("Zechun Liu", "Changsheng Zhao", "Igor Fedorov"), "cs.LG",
  "Learns rotation matrices applied to weights and activations that reduce outliers before quantizing "
  "language models to low bit widths.", complete=False)
P("2406.08673", "HelpSteer2: Open-source dataset for training top-performing reward models",
  ("Zhilin Wang", "Yi Dong", "Olivier Delalleau", "Jiaqi Zeng", "Gerald Shen", "Daniel Egert",
   "Jimmy J. Zhang", "Makesh Narsimhan Sreedhar", "Oleksii Kuchaiev"), "cs.CL",
  "Releases HelpSteer2, a permissively licensed dataset of responses rated on several attributes, for "
  "training reward models.")
P("2407.07726", "PaliGemma: A versatile 3B VLM for transfer",
  ("Lucas Beyer", "Andreas Steiner", "André Susano Pinto", "Alexander Kolesnikov", "Xiao Wang"), "cs.CV",
  "Combines a SigLIP image encoder with the Gemma-2B language model into a small vision-language model "
  "designed to be fine-tuned on many tasks.", complete=False)
P("2407.10671", "Qwen2 Technical Report",
  ("An Yang", "Baosong Yang", "Binyuan Hui", "Bo Zheng", "Bowen Yu"), "cs.CL",
  "Reports the Qwen2 series of dense and mixture-of-experts language models and their evaluation.",
  cats=("cs.AI",), day=15, complete=False)
P("2407.13833", "Phi-3 Safety Post-Training: Aligning Language Models with a \"Break-Fix\" Cycle",
  ("Emman Haider", "Daniel Perez-Becker", "Thomas Portet", "Piyush Madan", "Amit Garg", "Atabak Ashfaq",
   "David Majercak"), "cs.CL",
  "Describes the safety alignment of the Phi-3 models through repeated rounds of red-teaming, dataset "
  "curation and post-training.", complete=False, cat_known=False)
P("2407.19669",
  "mGTE: Generalized Long-Context Text Representation and Reranking Models for Multilingual Text "
  "Retrieval",
  ("Xin Zhang", "Yanzhao Zhang", "Dingkun Long", "Wen Xie"), "cs.CL",
  "Trains a long-context multilingual encoder and builds text embedding and reranking models on it.",
  complete=False)
P("2408.11857", "Hermes 3 Technical Report",
  ("Ryan Teknium", "Jeffrey Quesnelle", "Chen Guang"), "cs.CL",
  "Describes Hermes 3, instruction- and tool-use-tuned models built on Llama 3.1 base models.")
P("2409.12122",
  "Qwen2.5-Math Technical Report: Toward Mathematical Expert Model via Self-Improvement",
  ("An Yang", "Beichen Zhang", "Binyuan Hui"), "cs.CL",
  "Reports the Qwen2.5-Math models, trained with self-improvement across pre-training, fine-tuning and "
  "reward modelling for mathematical reasoning.", complete=False)
P("2409.12186", "Qwen2.5-Coder Technical Report",
  ("Binyuan Hui", "Jian Yang", "Zeyu Cui", "Jiaxi Yang"), "cs.CL",
  "Reports the Qwen2.5-Coder code models, their training data and their evaluation on coding "
  "benchmarks.", complete=False)
P("2409.12191",
  "Qwen2-VL: Enhancing Vision-Language Model's Perception of the World at Any Resolution",
  ("Peng Wang", "Shuai Bai", "Sinan Tan", "Shijie Wang"), "cs.CV",
  "Presents Qwen2-VL, vision-language models that process images at their native resolution and "
  "understand long videos.", complete=False)
P("2410.01257", "HelpSteer2-Preference: Complementing Ratings with Preferences",
  ("Zhilin Wang", "Alexander Bukharin", "Olivier Delalleau", "Daniel Egert", "Gerald Shen", "Jiaqi Zeng",
   "Oleksii Kuchaiev", "Yi Dong"), "cs.LG",
  "Adds pairwise preference annotations to HelpSteer2 and compares rating-based and preference-based "
  "reward models.")
P("2412.08905", "Phi-4 Technical Report",
  ("Marah Abdin", "Jyoti Aneja", "Harkirat Behl", "Sébastien Bubeck", "Ronen Eldan"), "cs.CL",
  "Reports Phi-4, a 14B language model whose training relies heavily on synthetic data, with strong "
  "reasoning results.", complete=False)
P("2501.00656", "2 OLMo 2 Furious",
  ("Team OLMo", "Pete Walsh", "Luca Soldaini", "Dirk Groeneveld", "Kyle Lo"), "cs.CL",
  "Reports OLMo 2, the next generation of fully open language models, with its data mixtures, training "
  "recipe and evaluation.", complete=False)
P("2501.12948",
  "DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via Reinforcement Learning",
  ("DeepSeek-AI", "Daya Guo", "Dejian Yang", "Haowei Zhang", "Junxiao Song"), "cs.CL",
  "Trains reasoning models with large-scale reinforcement learning and distils their reasoning into "
  "smaller dense models.", day=22, complete=False)
P("2502.02737",
  "SmolLM2: When Smol Goes Big -- Data-Centric Training of a Small Language Model",
  ("Loubna Ben Allal", "Anton Lozhkov", "Elie Bakouch", "Gabriel Martín Blázquez", "Guilherme Penedo"),
  "cs.CL",
  "Trains the SmolLM2 small language models on about eleven trillion tokens with a multi-stage, "
  "data-centric mixture including new datasets.", complete=False)
P("2505.09388", "Qwen3 Technical Report",
  ("An Yang", "Anfeng Li", "Baosong Yang", "Beichen Zhang", "Binyuan Hui"), "cs.CL",
  "Reports the Qwen3 dense and mixture-of-experts models, which combine thinking and non-thinking modes "
  "in one model.", day=14, complete=False)
